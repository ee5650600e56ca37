"""Monitoring speed: the national indicators over 50,000 events and 200,000 follow-up answers in the
1,122 municipalities. Prints figures; never part of the test run.

    createdb -h 127.0.0.1 -U postgres att_bench_monitoring
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/att_bench_monitoring
    .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/monitoring.py [--events 50000] [--answers 200000] [--runs 15]

1. tops the database up (once; bulk inserts): needs over every municipality, 40 providers,
   300 services, events over two years (60 % realised, a fifth joint missions, 1–3 municipalities
   of one department, a third with a cost, half answering a need), eight published quarters, and
   follow-ups: territorial answers (satisfaction, pertinence) and capacity self-assessments before
   and after, until `--answers` answer rows;
2. times the national dashboard's payload (every indicator with the department breakdown, as
   `indicators_compute` gives it) and the public API `GET /api/v1/monitoring/indicators/`:
   median and worst of `--runs`, in milliseconds, with the number of SQL queries — counted again
   with another breakdown and with a department filter (it must not change with the rows).
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
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.throttling import SimpleRateThrottle  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.accounts.services import organization_resolve  # noqa: E402
from apps.agenda.models import AgendaPeriod, Event, Status  # noqa: E402
from apps.core.vocabulary import Capacity  # noqa: E402
from apps.demand.models import Need  # noqa: E402
from apps.demand.models import Status as NeedStatus  # noqa: E402
from apps.monitoring.indicators import Filters, indicators_compute  # noqa: E402
from apps.monitoring.models import Audience, FollowUpTemplate, Invitation  # noqa: E402
from apps.offer.models import Service  # noqa: E402
from apps.surveys.models import Answer, Question, Submission  # noqa: E402
from apps.territory.models import Municipality, NationalEntity, Sector  # noqa: E402

RNG = random.Random(2027)
EVENT_STATUSES = [Status.DONE] * 6 + [Status.CONFIRMED] * 2 + [Status.PROPOSED, Status.CANCELLED]
NEED_STATUSES = [NeedStatus.FILED] * 3 + [NeedStatus.SCHEDULED] * 2 + [NeedStatus.ATTENDED] * 3 + [NeedStatus.CLOSED]
BATCH = 5000


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order) into the model's table: the fastest bulk insert."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    n = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                       f"COALESCE((SELECT MAX(id) FROM {table}), 1))")


def next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def providers() -> list[int]:
    entities = list(NationalEntity.objects.order_by("acronym").values_list("acronym", flat=True)[:34])
    return list({organization_resolve(code).pk for code in [*entities, "25", "05", "68", "76", "15", "DNP"]})


@transaction.atomic
def populate(events_target: int, answers_target: int) -> None:
    if Event.objects.count() >= events_target:
        return
    now = timezone.now()
    munis = list(Municipality.objects.values_list("code", "department_id", "category"))
    by_dept: dict[str, list[str]] = {}
    for code, dept, _category in munis:
        by_dept.setdefault(dept, []).append(code)
    sectors = list(Sector.objects.values_list("slug", flat=True))
    orgs = providers()

    # Services of the providers, each in one or two sectors.
    services = Service.objects.bulk_create([Service(
        organization_id=RNG.choice(orgs), name=f"Servicio {i}", summary="Asistencia técnica.", description="-",
        capacities=RNG.sample(Capacity.values, 2), assistance_type="acompanamiento", modality="virtual",
        audience=["municipios"], nationwide=True, contact_email="att@example.gov.co",
        status=Service.Status.PUBLISHED, published_at=now) for i in range(300)])
    copy_rows(Service.sectors.through, ["service_id", "sector_id"],
              ((s.pk, slug) for s in services for slug in RNG.sample(sectors, RNG.choice([1, 1, 2]))))
    service_ids = [s.pk for s in services]

    # Eight published quarters, two years back.
    start = (now - timedelta(days=730)).date().replace(day=1)
    periods = []
    for q in range(8):
        begins = start + timedelta(days=91 * q)
        periods.append(AgendaPeriod.objects.create(
            name=f"bench-{q}", starts_on=begins, ends_on=begins + timedelta(days=90),
            status=AgendaPeriod.Status.PUBLISHED,
            published_at=timezone.make_aware(timezone.datetime.combine(begins, timezone.datetime.min.time()))))

    # Needs: ~0.6 per event, over every municipality.
    n_needs = int(events_target * 0.6)
    need_orgs = {code: organization_resolve(code).pk for code, _d, _c in munis}
    first_need = next_id(Need)
    needs = []
    for i in range(n_needs):
        code, dept, _category = RNG.choice(munis)
        submitted = now - timedelta(days=RNG.randint(30, 760), minutes=RNG.randint(0, 1440))
        needs.append((first_need + i, need_orgs[code], dept, code, RNG.choice(sectors), f"Tema {i}",
                      RNG.choice(Capacity.values), "", "", "", "media", "mixta", 1, RNG.choice(NEED_STATUSES), "",
                      submitted, submitted, submitted, submitted))
    copy_rows(Need, ["id", "organization_id", "department_id", "municipality_id", "sector_id", "topic", "capacity",
                     "problem", "expected_result", "plan_goal", "priority", "modality", "participants", "status",
                     "status_reason", "created_at", "updated_at", "submitted_at", "status_changed_at"], needs)
    reset_sequence(Need)

    # Events with their providers, municipalities, services and needs.
    first_event = next_id(Event)
    events, links = [], {"p": [], "m": [], "s": [], "n": []}
    need_pool = [row[0] for row in needs]
    RNG.shuffle(need_pool)
    done: list[tuple[int, str, list[str]]] = []
    for i in range(events_target):
        pk = first_event + i
        period = RNG.choice(periods)
        starts = timezone.make_aware(timezone.datetime.combine(
            period.starts_on + timedelta(days=RNG.randint(0, 89)), timezone.datetime.min.time())) + timedelta(hours=8)
        status = RNG.choice(EVENT_STATUSES)
        cost = RNG.choice([None, None, RNG.randint(2, 80) * 1_000_000])
        created = period.published_at - timedelta(days=10) if RNG.random() < 0.9 else period.published_at + timedelta(
            days=5)
        events.append((pk, "asistencia_tecnica", f"Jornada {i}", "", status, "", starts, starts + timedelta(hours=4),
                       "presencial", "", "", period.pk, False, cost, created, created))
        dept = RNG.choice(list(by_dept))
        chosen = RNG.sample(by_dept[dept], min(len(by_dept[dept]), RNG.choice([1, 1, 2, 3])))
        links["m"] += [(pk, code) for code in chosen]
        links["p"] += [(pk, org) for org in RNG.sample(orgs, 2 if RNG.random() < 0.2 else 1)]
        links["s"].append((pk, RNG.choice(service_ids)))
        if need_pool and RNG.random() < 0.5:
            links["n"].append((pk, need_pool.pop()))
        if status == Status.DONE:
            done.append((pk, dept, chosen))
    copy_rows(Event, ["id", "kind", "title", "description", "status", "status_reason", "starts_at", "ends_at",
                      "modality", "place", "video_url", "period_id", "recorded_after_the_fact", "cost", "created_at",
                      "updated_at"], events)
    reset_sequence(Event)
    copy_rows(Event.providers.through, ["event_id", "organization_id"], links["p"])
    copy_rows(Event.municipalities.through, ["event_id", "municipality_id"], links["m"])
    copy_rows(Event.services.through, ["event_id", "service_id"], links["s"])
    copy_rows(Event.needs.through, ["event_id", "need_id"], links["n"])

    populate_followups(done, answers_target, now)


def populate_followups(done, answers_target: int, now) -> None:
    """Follow-ups of realised events: 40 % territorial (2 answers), 60 % capacity before/after (2 each)."""
    templates = {t.audience: t for t in FollowUpTemplate.objects.select_related("survey")}
    questions = {(q.survey_id, q.role, q.capacity): q.pk for q in Question.objects.filter(
        survey__in=[t.survey_id for t in templates.values()])}
    territory = templates[Audience.TERRITORY]
    inv_id, sub_id = next_id(Invitation), next_id(Submission)
    invitations, submissions, answers = [], [], []
    written = 0
    while written < answers_target:
        event, dept, chosen = RNG.choice(done)
        code = RNG.choice(chosen)
        when = now - timedelta(days=RNG.randint(0, 700))
        if RNG.random() < 0.4:
            pairs = [(territory, [("satisfaction", ""), ("pertinence", "")])]
        else:
            capacity_codes = RNG.sample(Capacity.values, 2)
            pairs = [(templates[audience], [("capacity", c) for c in capacity_codes])
                     for audience in (Audience.CAPACITY_BEFORE, Audience.CAPACITY_AFTER)]
        for template, roles in pairs:
            answered = RNG.random() < 0.8
            invitations.append((inv_id, event, template.pk, template.audience, "", f"p{inv_id}@example.gov.co",
                                code, dept, "[]", when, when, when + timedelta(days=30), 0,
                                when if answered else None, sub_id if answered else None, "", when))
            if answered:
                submissions.append((sub_id, template.survey_id, None, f"followup:{inv_id}", 0, "", when, when, code,
                                    dept, True, "{}"))
                for role, capacity in roles:
                    answers.append((template.survey_id, sub_id, questions[(template.survey_id, role, capacity)], 0,
                                    True, RNG.randint(1, 5), ""))
                    written += 1
                sub_id += 1
            inv_id += 1
    copy_rows(Submission, ["id", "survey_id", "batch_id", "source_key", "row_number", "external_id", "started_at",
                           "finished_at", "municipality_id", "department_id", "is_latest", "identity"], submissions)
    copy_rows(Invitation, ["id", "event_id", "template_id", "audience", "name", "email", "municipality_id",
                           "department_id", "capacities", "send_at", "sent_at", "expires_at", "reminders_sent",
                           "answered_at", "submission_id", "nonce", "created_at"], invitations)
    copy_rows(Answer, ["survey_id", "submission_id", "question_id", "position", "is_latest", "number", "text"],
              answers)
    reset_sequence(Invitation)
    reset_sequence(Submission)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(label: str, fn, runs: int) -> None:
    fn()  # warm up (and, when caching, fill the cache)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<62} median {statistics.median(times):7.1f} ms   worst {max(times):7.1f} ms   "
          f"queries {len(queries)}")


def queries_of(fn) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--answers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL (DATABASE_URL=postgres://…).")

    start = time.perf_counter()
    populate(args.events, args.answers)
    print(f"events {Event.objects.count():,} (realised {Event.objects.filter(status=Status.DONE).count():,}), "
          f"needs {Need.objects.count():,}, invitations {Invitation.objects.count():,}, "
          f"answers {Answer.objects.filter(submission__batch__isnull=True).count():,}, municipalities "
          f"{Municipality.objects.count():,} (setup {time.perf_counter() - start:.1f} s)")

    coordinator, _ = User.objects.get_or_create(
        email="bench-coordinator@dnp.gov.co",
        defaults={"role": User.Role.COORDINATOR, "organization": organization_resolve("DNP")})
    national = Filters()

    def dashboard(by="department", filters=national):
        return indicators_compute(user=coordinator, filters=filters, by=by)

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    # The bench measures the work, not the rate limit; and counts the API's queries too (Django
    # empties the query log when a request starts).
    SimpleRateThrottle.allow_request = lambda self, request, view: True
    request_started.disconnect(reset_queries)
    client = Client()

    def api(path="/api/v1/monitoring/indicators/"):
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    print(f"-- computed every time (MONITORING_INDICATORS_CACHE_SECONDS=0); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    settings.MONITORING_INDICATORS_CACHE_SECONDS = 0
    timed("national dashboard: all indicators, by department", dashboard, args.runs)
    timed("national dashboard: all indicators, by provider", lambda: dashboard("provider"), args.runs)
    timed("national dashboard: all indicators, no breakdown", lambda: dashboard(None), args.runs)
    timed("Cundinamarca: all indicators, by category", lambda: dashboard("category", Filters(department="25")),
          args.runs)
    period = AgendaPeriod.objects.filter(name__startswith="bench-").order_by("starts_on").last()
    timed(f"period {period.name}: all indicators, by department",
          lambda: dashboard("department", Filters(period=period)), args.runs)
    timed("API GET /api/v1/monitoring/indicators/ (anonymous)", api, args.runs)
    for by in ("department", "category", "sector", "provider", "capacity"):
        counts = {queries_of(lambda f=f, by=by: dashboard(by, f))
                  for f in (national, Filters(department="05", sector="vivienda"), Filters(period=period))}
        print(f"queries by {by:<10} national, Antioquia × vivienda, a period (+1: its frozen figures looked up): "
              f"{sorted(counts)}")

    print("-- cached until a write moves the data version (the default)")
    settings.MONITORING_INDICATORS_CACHE_SECONDS = 600
    timed("national dashboard: all indicators, by department", dashboard, args.runs)
    timed("API GET /api/v1/monitoring/indicators/ (anonymous)", api, args.runs)
    client.force_login(coordinator)
    timed("API GET /api/v1/monitoring/followups/ (coordinator, page 1)",
          lambda: api("/api/v1/monitoring/followups/"), args.runs)


if __name__ == "__main__":
    main()
