"""Coordinator inbox speed with 20,000 needs. Prints figures; never part of the test run.

    createdb -h 127.0.0.1 -U postgres att_bench_demand
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/att_bench_demand
    .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/demand_inbox.py [--needs 20000] [--runs 20]

1. tops the database up to N filed needs spread over every municipality, sector and status;
2. counts the SQL queries of the inbox page (first, middle and last page; filtered and not)
   and of /api/v1/requests/ for 10 and 100 per page: they must not change with the page;
3. times each page as a coordinator sees it (full request through Django), median and worst.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Organization, User  # noqa: E402
from apps.accounts.services import organization_resolve  # noqa: E402
from apps.demand.models import Capacity, Modality, Need, Priority, Status  # noqa: E402
from apps.territory.models import Municipality, Sector  # noqa: E402

TOPICS = ["Formulación de proyectos de acueducto", "Actualización catastral", "Plan de ordenamiento territorial",
          "Gestión del riesgo de desastres", "Presupuesto por resultados", "Contratación pública",
          "Plan territorial de salud", "Alimentación escolar", "Gobierno digital", "Regalías: proyectos OCAD"]
STATUSES = [Status.FILED] * 4 + [Status.IN_REVIEW] * 3 + [Status.SCHEDULED] * 2 + [
    Status.ATTENDED, Status.CLOSED, Status.REJECTED, Status.REDIRECTED]


def populate(target: int) -> None:
    have = Need.objects.count()
    if have >= target:
        return
    rng = random.Random(2026)
    munis = list(Municipality.objects.values_list("code", "department_id"))
    sectors = list(Sector.objects.values_list("slug", flat=True))
    orgs = {}
    for code, _dept in rng.sample(munis, 300):
        orgs[code] = organization_resolve(code).pk
    now = timezone.now()
    batch = []
    for i in range(have, target):
        code, dept = rng.choice(list(orgs)), None
        dept = code[:2]
        submitted = now - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 1440))
        batch.append(Need(
            organization_id=orgs[code], department_id=dept, municipality_id=code, sector_id=rng.choice(sectors),
            topic=f"{rng.choice(TOPICS)} {i}", capacity=rng.choice(Capacity.values),
            problem="Necesitamos acompañamiento técnico para avanzar.", expected_result="Capacidad instalada.",
            priority=rng.choice(Priority.values), modality=rng.choice(Modality.values),
            participants=rng.randint(1, 20), status=rng.choice(STATUSES), submitted_at=submitted,
            status_changed_at=submitted,
        ))
        if len(batch) == 2000:
            Need.objects.bulk_create(batch)
            batch = []
    Need.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE demand_need")


def coordinator() -> User:
    user = User.objects.filter(email="bench-coordinator@dnp.gov.co").first()
    if user is None:
        user = User.objects.create_user("bench-coordinator@dnp.gov.co", "Bench-Clave-2026",
                                        organization=organization_resolve("DNP"), role=User.Role.COORDINATOR)
    assert user.organization.kind == Organization.Kind.DNP
    return user


def measure(client: Client, url: str, runs: int) -> tuple[int, float, float, int]:
    connection.queries_log.clear()  # each request resets the log; start from empty
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # read now: captured_queries is a view of a log the next requests reset
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times), max(times), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    settings.DEBUG = False

    start = time.perf_counter()
    populate(args.needs)
    print(f"database: {connection.vendor}; needs: {Need.objects.count():,} "
          f"(setup {time.perf_counter() - start:.1f} s)")
    client = Client()
    client.force_login(coordinator())
    last = (Need.objects.count() + 49) // 50
    urls = [
        "/solicitudes/bandeja/",
        "/solicitudes/bandeja/?page=2",
        f"/solicitudes/bandeja/?page={last // 2}",
        f"/solicitudes/bandeja/?page={last}",
        "/solicitudes/bandeja/?status=radicada",
        "/solicitudes/bandeja/?department=25&sector=salud&priority=alta",
        "/solicitudes/bandeja/?department=25&municipality_name=fusagasuga",
        "/solicitudes/bandeja/?capacity=planeacion&status=en_revision&age=90&page=3",
        "/api/v1/requests/?page_size=10",
        "/api/v1/requests/?page_size=100",
        "/api/v1/requests/?page_size=100&page=50",
        "/api/v1/requests/?department=05&status=programada&page_size=100",
        "/solicitudes/resumen/",
    ]
    print(f"{'url':<78} {'queries':>7} {'median ms':>10} {'worst ms':>9} {'KB':>6}")
    for url in urls:
        n, median, worst, size = measure(client, url, args.runs)
        print(f"{url:<78} {n:>7} {median:>10.1f} {worst:>9.1f} {size / 1024:>6.0f}")


if __name__ == "__main__":
    main()
