"""Offer catalogue speed with 5,000 services. Prints figures; never part of the test run.

    createdb -h 127.0.0.1 -U postgres att_bench_offer
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/att_bench_offer
    .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/offer_catalogue.py [--services 5000] [--runs 20]

1. tops the catalogue up to N published services (bulk, realistic words, several entities);
2. counts the SQL queries of the catalogue page and of /api/v1/offers/ for 10 and 100 per page;
3. times a filtered + searched list (selector, page and API), median and worst of the runs.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from apps.accounts.services import organization_resolve  # noqa: E402
from apps.offer.models import AssistanceType, Capacity, Modality, Service  # noqa: E402
from apps.offer.selectors import service_list  # noqa: E402
from apps.territory.models import Department, Sector  # noqa: E402

OWNERS = ["MinVivienda", "ANM", "ESAP", "DNP", "Función Pública", "MinAgricultura", "MinTIC", "MinSalud",
          "UNGRD", "25", "05", "68"]
WORDS = ["agua potable", "acueducto", "catastro", "ordenamiento territorial", "regalías", "presupuesto",
         "contratación", "gestión del riesgo", "vivienda rural", "plan de desarrollo", "minería", "extensión "
         "agropecuaria", "gobierno digital", "salud pública", "alimentación escolar", "empleo público",
         "rendición de cuentas", "proyectos de inversión", "residuos sólidos", "turismo"]
FILTERS = {"q": "planeación", "modality": "virtual", "department": "25"}


def populate(target: int) -> None:
    have = Service.objects.count()
    if have >= target:
        return
    rng = random.Random(2026)  # noqa: S311 - reproducible fake data
    owners = [organization_resolve(code) for code in OWNERS]
    sectors = list(Sector.objects.all())
    departments = list(Department.objects.all())
    batch = []
    for n in range(have, target):
        org = rng.choice(owners)
        topic, other = rng.sample(WORDS, 2)
        service = Service(
            organization=org, name=f"Asistencia en {topic} {n}",
            summary=f"Acompañamiento a municipios en {topic} y {other}.",
            description=f"Servicio de {topic}: planeación, formulación y seguimiento con el equipo territorial. "
            f"Incluye {other}.", topics=f"{topic}, {other}",
            capacities=rng.sample(Capacity.values, rng.randint(1, 3)),
            assistance_type=rng.choice(AssistanceType.values), modality=rng.choice(Modality.values),
            audience=["municipios"], nationwide=org.kind != "department" and rng.random() < 0.6,
            contact_email="att@example.gov.co", status=Service.Status.PUBLISHED,
        )
        service.search_document = service.build_search_document()
        batch.append(service)
    created = Service.objects.bulk_create(batch, batch_size=1000)
    sector_links, dept_links = [], []
    for service in created:
        sector_links.extend(Service.sectors.through(service_id=service.pk, sector_id=sector.pk)
                            for sector in rng.sample(sectors, rng.randint(1, 3)))
        if not service.nationwide:
            own = [d for d in departments if d.code == service.organization.department_id]
            dept_links.extend(Service.departments.through(service_id=service.pk, department_id=dept.pk)
                              for dept in own or rng.sample(departments, rng.randint(1, 5)))
    Service.sectors.through.objects.bulk_create(sector_links, batch_size=5000)
    Service.departments.through.objects.bulk_create(dept_links, batch_size=5000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(f"created {len(created)} services (now {Service.objects.count()})")


def count_queries(client: Client, url: str, params: dict) -> int:
    client.get(url, params)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx)


def timed(func, runs: int) -> tuple[float, float]:
    func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    populate(args.services)
    print(f"database: {connection.vendor}, services: {Service.objects.count()}")
    client = Client()
    from django.contrib.auth.models import AnonymousUser

    for url in ("/oferta/", "/api/v1/offers/"):
        counts = {size: count_queries(client, url, {"page_size": size}) for size in (10, 100)}
        filtered = {size: count_queries(client, url, {"page_size": size, **FILTERS}) for size in (10, 100)}
        print(f"{url:<18} queries: page_size 10 → {counts[10]}, 100 → {counts[100]}; "
              f"filtered+searched 10 → {filtered[10]}, 100 → {filtered[100]}")

    anon = AnonymousUser()
    hits = service_list(user=anon, filters=FILTERS).count()
    print(f"filtered+searched list {FILTERS}: {hits} matches")
    med, worst = timed(lambda: list(service_list(user=anon, filters=FILTERS)[:20]), args.runs)
    print(f"  selector, first 20 rows with relations: median {med:.1f} ms, worst {worst:.1f} ms")
    med, worst = timed(lambda: client.get("/api/v1/offers/", {"page_size": 20, **FILTERS}), args.runs)
    print(f"  GET /api/v1/offers/ (20 per page):     median {med:.1f} ms, worst {worst:.1f} ms")
    med, worst = timed(lambda: client.get("/oferta/", {"page_size": 20, **FILTERS}), args.runs)
    print(f"  GET /oferta/ page with facet counts:   median {med:.1f} ms, worst {worst:.1f} ms")


if __name__ == "__main__":
    main()
