"""Knowledge search and «¿Quién resolvió esto antes?» with many practices. Prints figures; never part
of the test run.

    createdb -h 127.0.0.1 -U postgres att_bench_knowledge
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/att_bench_knowledge
    .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/knowledge_search.py [--practices 20000] [--guidelines 500] [--runs 20]

1. tops the database up to the given numbers (practices and lessons of 300 municipalities on every
   sector, guidelines of a national entity, published services if there are none);
2. for the one search (a common word, a rare one, a two-word phrase, filtered by sector and
   department) and for the suggestions of a need, counts the SQL queries and times them: median
   and worst of `--runs`, in milliseconds, as an anonymous visitor and as a municipal editor.
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

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.accounts.models import Organization, User  # noqa: E402
from apps.accounts.services import organization_resolve  # noqa: E402
from apps.demand.models import Need  # noqa: E402
from apps.knowledge import selectors_practices  # noqa: E402
from apps.knowledge.models import Guideline, Practice  # noqa: E402
from apps.knowledge.search import knowledge_search_result  # noqa: E402
from apps.territory.models import Municipality, Sector  # noqa: E402

WORDS = ["acueducto veredal", "catastro multipropósito", "plan de desarrollo", "gestión del riesgo",
         "vivienda rural", "sede electrónica", "alumbrado público", "regalías", "mesa técnica", "interventoría"]
FILLER = ("La alcaldía trabajó con la comunidad, la gobernación y la entidad nacional durante seis meses; "
          "se hicieron talleres, visitas y una mesa técnica mensual para ajustar el proyecto.")


def top_up(practices: int, guidelines: int) -> None:
    rng = random.Random(7)
    municipalities = list(Municipality.objects.order_by("code")[:300])
    sectors = list(Sector.objects.all())
    have = Practice.objects.count()
    rows = []
    orgs = {m.code: organization_resolve(m.code) for m in municipalities}
    for i in range(have, practices):
        m = rng.choice(municipalities)
        topic = rng.choice(WORDS)
        rows.append(Practice(
            kind=rng.choice(["practica", "practica", "leccion"]), title=f"{topic.capitalize()} en {m.display_name} {i}",
            what=f"{FILLER} {topic}.", result="Resultado medido.", sector=rng.choice(sectors), capacity="planeacion",
            topics=topic, organization=orgs[m.code], municipality=m, department_id=m.department_id, published=True))
    with transaction.atomic():
        Practice.objects.bulk_create(rows, batch_size=2000)
    owner = organization_resolve("MinVivienda")
    guides = [Guideline(title=f"Guía de {rng.choice(WORDS)} {i}", summary=FILLER, organization=owner)
              for i in range(Guideline.objects.count(), guidelines)]
    Guideline.objects.bulk_create(guides, batch_size=2000)


def measure(label: str, fn, runs: int) -> None:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<58} {len(ctx):>3} queries  median {statistics.median(times):7.1f} ms  worst {max(times):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--practices", type=int, default=20000)
    parser.add_argument("--guidelines", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    top_up(args.practices, args.guidelines)
    print(f"{connection.vendor}: {Practice.objects.count()} practices, {Guideline.objects.count()} guidelines")
    anonymous = AnonymousUser()
    editor = User.objects.filter(organization__kind=Organization.Kind.MUNICIPALITY, role="editor").first()
    for q in ("acueducto", "interventoria", "gestion del riesgo"):
        measure(f"search «{q}» (anonymous)", lambda q=q: knowledge_search_result(user=anonymous, q=q), args.runs)
    measure("search «acueducto» sector agua-potable, department 25",
            lambda: knowledge_search_result(user=anonymous, q="acueducto", sector="agua-potable", department="25"),
            args.runs)
    if editor is not None:
        measure("search «regalias» (municipal editor)", lambda: knowledge_search_result(user=editor, q="regalias"),
                args.runs)
    need = Need.objects.select_related("municipality__department", "department").first()
    if need is not None and editor is not None:
        measure("¿Quién resolvió esto antes? for a need (top 5)",
                lambda: selectors_practices.practices_for_need(user=editor, need=need), args.runs)
    municipality = Municipality.objects.select_related("department").get(code="25290")
    measure("¿Quién resolvió esto antes? «acueducto veredal», agua-potable",
            lambda: selectors_practices.practices_nearby(
                user=anonymous, sector="agua-potable", topic="acueducto veredal", municipality=municipality, limit=20),
            args.runs)


if __name__ == "__main__":
    main()
