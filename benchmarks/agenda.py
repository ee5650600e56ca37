"""Agenda speed with 20,000 needs, 1,000 services and 5,000 events. Prints figures; never part of the test run.

    createdb -h 127.0.0.1 -U postgres att_bench_agenda
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/att_bench_agenda
    .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/agenda.py [--needs 20000] [--services 1000] [--events 5000] [--runs 20]

1. tops the database up to the given numbers (needs over 300 municipalities, published services
   of 40 organisations, events over a year in those municipalities, a third of them with needs);
2. for each operation the issue names — matches for one need, matches for every open need of a
   department (a page of 50, as the selector serves it, and all at once for comparison), the
   national conflict report, a month of the national agenda — counts the SQL queries (twice,
   with other inputs: they must not change) and times it: median and worst of `--runs`, in
   milliseconds, as a coordinator sees it (the API for the first and the last two).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Organization, User  # noqa: E402
from apps.accounts.services import organization_resolve  # noqa: E402
from apps.agenda import matching, selectors  # noqa: E402
from apps.agenda.models import Event, Status  # noqa: E402
from apps.core.vocabulary import Capacity, Modality  # noqa: E402
from apps.demand.models import Need, Priority  # noqa: E402
from apps.demand.models import Status as NeedStatus  # noqa: E402
from apps.offer.models import Service  # noqa: E402
from apps.territory.models import Department, Municipality, NationalEntity, Sector  # noqa: E402

TOPICS = ["Formulación de proyectos de acueducto", "Actualización catastral", "Plan de ordenamiento territorial",
          "Gestión del riesgo de desastres", "Presupuesto por resultados", "Contratación pública",
          "Plan territorial de salud", "Alimentación escolar", "Gobierno digital", "Regalías: proyectos OCAD",
          "Formalización minera", "Extensión agropecuaria", "Vivienda de interés social", "Rendición de cuentas"]
NEED_STATUSES = [NeedStatus.FILED] * 4 + [NeedStatus.IN_REVIEW] * 3 + [NeedStatus.SCHEDULED] * 2 + [
    NeedStatus.ATTENDED, NeedStatus.CLOSED, NeedStatus.REJECTED]
EVENT_STATUSES = [Status.PROPOSED] * 3 + [Status.CONFIRMED] * 4 + [Status.DONE] * 2 + [Status.CANCELLED]
RNG = random.Random(2026)


def municipalities() -> list[tuple[str, str]]:
    munis = list(Municipality.objects.order_by("code").values_list("code", "department_id"))
    return random.Random(7).sample(munis, 300)


def populate_needs(target: int, munis) -> None:
    have = Need.objects.count()
    if have >= target:
        return
    sectors = list(Sector.objects.values_list("slug", flat=True))
    orgs = {code: organization_resolve(code).pk for code, _dept in munis}
    now = timezone.now()
    batch = []
    for i in range(have, target):
        code, dept = RNG.choice(munis)
        submitted = now - timedelta(days=RNG.randint(0, 400), minutes=RNG.randint(0, 1440))
        batch.append(Need(
            organization_id=orgs[code], department_id=dept, municipality_id=code, sector_id=RNG.choice(sectors),
            topic=f"{RNG.choice(TOPICS)} {i}", capacity=RNG.choice(Capacity.values),
            problem="Necesitamos acompañamiento técnico para avanzar.", expected_result="Capacidad instalada.",
            priority=RNG.choice(Priority.values), modality=RNG.choice(Modality.values),
            participants=RNG.randint(1, 20), status=RNG.choice(NEED_STATUSES), submitted_at=submitted,
            status_changed_at=submitted,
        ))
        if len(batch) == 2000:
            Need.objects.bulk_create(batch)
            batch = []
    Need.objects.bulk_create(batch)


def providers() -> list[Organization]:
    entities = list(NationalEntity.objects.order_by("acronym").values_list("acronym", flat=True)[:32])
    codes = entities + ["25", "05", "68", "76", "15", "52", "19", "DNP"]
    orgs = {org.pk: org for org in (organization_resolve(code) for code in codes)}
    return list(orgs.values())


@transaction.atomic
def populate_services(target: int, orgs) -> None:
    have = Service.objects.count()
    if have >= target:
        return
    sectors = list(Sector.objects.values_list("slug", flat=True))
    departments = list(Department.objects.values_list("code", flat=True))
    rows = []
    for i in range(have, target):
        org = RNG.choice(orgs)
        topic = RNG.choice(TOPICS)
        service = Service(
            organization=org, name=f"{topic}: acompañamiento {i}", summary=f"Asistencia técnica en {topic.lower()}.",
            description="Sesiones de trabajo con el equipo de la entidad territorial.", topics=topic.lower(),
            capacities=RNG.sample(Capacity.values, 2), assistance_type="acompanamiento",
            modality=RNG.choice(Modality.values), audience=["municipios", "departamentos"],
            municipal_categories=RNG.choice([[], [], ["4", "5", "6"], ["1", "2"]]), nationwide=RNG.random() < 0.5,
            yearly_capacity=RNG.choice([None, 20, 50, 100]), contact_email="att@example.gov.co",
            status=Service.Status.PUBLISHED, published_at=timezone.now(),
        )
        service.search_document = service.build_search_document()
        rows.append(service)
    created = Service.objects.bulk_create(rows)
    sector_links = [Service.sectors.through(service_id=s.pk, sector_id=slug)
                    for s in created for slug in RNG.sample(sectors, RNG.choice([1, 1, 2]))]
    Service.sectors.through.objects.bulk_create(sector_links)
    dept_links = [Service.departments.through(service_id=s.pk, department_id=code)
                  for s in created if not s.nationwide for code in RNG.sample(departments, 4)]
    Service.departments.through.objects.bulk_create(dept_links)


@transaction.atomic
def populate_events(target: int, munis, orgs) -> None:
    have = Event.objects.count()
    if have >= target:
        return
    tz = timezone.get_current_timezone()
    year_start = datetime(timezone.localdate().year, 1, 1, 8, tzinfo=tz)
    service_ids = list(Service.objects.values_list("pk", flat=True))
    need_ids = list(Need.objects.filter(status=NeedStatus.SCHEDULED).values_list("pk", flat=True))
    rows = []
    for i in range(have, target):
        start = year_start + timedelta(days=RNG.randint(0, 364), hours=RNG.randint(0, 6))
        rows.append(Event(title=f"Jornada {i}", kind="asistencia_tecnica", status=RNG.choice(EVENT_STATUSES),
                          starts_at=start, ends_at=start + timedelta(hours=4), modality=RNG.choice(Modality.values),
                          place="Alcaldía"))
    created = Event.objects.bulk_create(rows)
    through = {f: Event._meta.get_field(f).remote_field.through
               for f in ("providers", "municipalities", "services", "needs")}
    through["providers"].objects.bulk_create(
        [through["providers"](event_id=e.pk, organization_id=o.pk) for e in created
         for o in RNG.sample(orgs, RNG.choice([1, 1, 1, 2]))])
    through["municipalities"].objects.bulk_create(
        [through["municipalities"](event_id=e.pk, municipality_id=RNG.choice(munis)[0]) for e in created])
    through["services"].objects.bulk_create(
        [through["services"](event_id=e.pk, service_id=RNG.choice(service_ids)) for e in created])
    through["needs"].objects.bulk_create(
        [through["needs"](event_id=e.pk, need_id=RNG.choice(need_ids)) for e in created[::3]], ignore_conflicts=True)


def coordinator() -> User:
    user = User.objects.filter(email="bench-coordinator@dnp.gov.co").first()
    if user is None:
        user = User.objects.create_user("bench-coordinator@dnp.gov.co", "Bench-Clave-2026",
                                        organization=organization_resolve("DNP"), role=User.Role.COORDINATOR)
    return user


def measure(fn, runs: int) -> tuple[int, float, float]:
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        fn()
    count = len(queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--services", type=int, default=1_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    settings.DEBUG = False

    start = time.perf_counter()
    munis = municipalities()
    orgs = providers()
    populate_needs(args.needs, munis)
    populate_services(args.services, orgs)
    populate_events(args.events, munis, orgs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; needs {Need.objects.count():,}, services {Service.objects.count():,}, "
          f"events {Event.objects.count():,} (setup {time.perf_counter() - start:.1f} s)")

    user = coordinator()
    client = Client()
    client.force_login(user)
    open_needs = list(Need.objects.filter(status=NeedStatus.FILED, municipality__isnull=False)
                      .order_by("pk").values_list("pk", flat=True)[:2])
    # The department with the most open needs (the worst case), and the next one.
    busiest = list(matching.open_needs(user=user).values("department").annotate(n=Count("pk")).order_by("-n")[:2])
    dept_a, dept_b = (Department.objects.get(code=row["department"]) for row in busiest)
    n_dept = busiest[0]["n"]
    month = timezone.localdate().replace(day=1)

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return call

    cases = [
        ("matches for one need (API)", get(f"/api/v1/agenda/matches/?need={open_needs[0]}"),
         get(f"/api/v1/agenda/matches/?need={open_needs[1]}")),
        (f"matches for open needs of {dept_a.display_name}, page of 50/{n_dept}",
         lambda: matching.matches_for_department(user=user, department=dept_a),
         lambda: matching.matches_for_department(user=user, department=dept_b, page=3)),
        (f"matches for all open needs of {dept_a.display_name} at once ({n_dept})",
         lambda: matching.matches_for_department(user=user, department=dept_a, page_size=None),
         lambda: matching.matches_for_department(user=user, department=dept_b, page_size=None)),
        ("national conflict report (API)", get("/api/v1/agenda/conflicts/"),
         get("/api/v1/agenda/conflicts/?department=25")),
        ("a month of the national agenda (API, 500 per page)",
         get(f"/api/v1/agenda/events/?from={month}&to={month + timedelta(days=30)}&page_size=500"),
         get(f"/api/v1/agenda/events/?from={month - timedelta(days=62)}&to={month - timedelta(days=32)}"
             f"&page_size=500")),
        ("a month of the national agenda (selector)",
         lambda: list(selectors.calendar_month(user=user, year=month.year, month=month.month)),
         lambda: list(selectors.calendar_month(user=user, year=month.year, month=max(1, month.month - 2)))),
    ]
    print(f"{'operation':<58} {'queries':>9} {'median ms':>10} {'worst ms':>9}")
    for label, first, second in cases:
        n, median, worst = measure(first, args.runs)
        n2, _m, _w = measure(second, 1)
        print(f"{label:<58} {n:>4}/{n2:<4} {median:>10.1f} {worst:>9.1f}")


if __name__ == "__main__":
    main()
