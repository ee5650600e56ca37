"""Monitoring pages' speed: the dashboards as a browser gets them (HTML, CSV), over the data that
benchmarks/monitoring.py loads (50,000 events, 200,000 answers, 1,122 municipalities). Prints
figures; never part of the test run.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/att_bench_monitoring
    .venv/bin/python benchmarks/monitoring.py          # once: loads the data
    .venv/bin/python benchmarks/monitoring_pages.py [--runs 7]

For each page: median and worst time in milliseconds over `--runs` (after one warm-up), and the
number of SQL queries (it must not grow with the rows). On PostgreSQL the indicators are cached
until something they read is written (apps/monitoring/indicators.py), so after the warm-up most
runs read the cache; several query counts show both kinds of run.
"""

import argparse
import os
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
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from apps.accounts.models import Organization, User  # noqa: E402
from apps.agenda.models import Event  # noqa: E402


def _page(client: Client, path: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200 and body, (path, response.status_code)
    return elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    events = Event.objects.count()
    if events < 1000:
        sys.exit("Load the data first: benchmarks/monitoring.py (see this script's docstring).")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    coordinator = User.objects.filter(role=User.Role.COORDINATOR).first()
    if coordinator is None:
        sys.exit("No coordinator in this database: run benchmarks/monitoring.py first.")
    busiest = (Event.municipalities.through.objects.values("municipality_id").annotate(n=Count("id"))
               .order_by("-n").first()["municipality_id"])
    entity = (Organization.objects.filter(kind=Organization.Kind.NATIONAL_ENTITY, national_entity__isnull=False)
              .annotate(n=Count("agenda_events")).order_by("-n").select_related("national_entity").first())
    pages = [
        ("coordinator", "/seguimiento/"),
        ("coordinator", "/seguimiento/?by=provider&indicator=satisfaction"),
        ("coordinator", "/seguimiento/?department=Cundinamarca&by=category"),
        ("anonymous", "/seguimiento/resumen/"),
        ("anonymous", "/seguimiento/indicadores/capacity_change/?by=capacity"),
        ("anonymous", "/seguimiento/datos-abiertos/indicadores.csv"),
        ("coordinator", f"/territorio/municipios/{busiest}/"),
        ("anonymous", f"/territorio/entidades/{entity.national_entity.acronym}/"),
    ]
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(coordinator)
    print(f"{events} events, {connection.vendor}; {args.runs} runs after one warm-up")
    print(f"{'page':<62} {'who':<12} {'median':>8} {'worst':>8} {'queries':>8}")
    for who, path in pages:
        client = signed_in if who == "coordinator" else anonymous
        _page(client, path)
        times, counts = [], set()
        for _run in range(args.runs):
            elapsed, queries = _page(client, path)
            times.append(elapsed)
            counts.add(queries)
        print(f"{path:<62} {who:<12} {statistics.median(times):>6.0f}ms {max(times):>6.0f}ms "
              f"{'/'.join(map(str, sorted(counts))):>8}")


if __name__ == "__main__":
    main()
