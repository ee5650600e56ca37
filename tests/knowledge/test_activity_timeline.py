"""The timeline on municipality and department pages: newest first by month, filtered by kind,
paginated in constant queries, private rows only for the territory's own people and coordinators."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.activity import record
from apps.territory.models import Department, Municipality
from apps.territory.timeline import timeline

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def muni(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _rows():
    fusa, medellin = muni("25290"), muni("05001")
    record(key="t:need", kind="need.filed", title="Solicitud radicada: Acueducto veredal", municipality=fusa,
           public=False, occurred_at=datetime(2026, 3, 10, 9, tzinfo=BOGOTA))
    record(key="t:event", kind="event.done", title="Jornada realizada: Mesa técnica de agua", municipality=fusa,
           occurred_at=datetime(2026, 5, 4, 9, tzinfo=BOGOTA))
    record(key="t:dept", kind="commitment.created", title="Compromiso: Plan departamental de aguas",
           department=Department.objects.get(code="25"), public=False,
           occurred_at=datetime(2026, 6, 1, 9, tzinfo=BOGOTA))
    record(key="t:med", kind="need.filed", title="Solicitud radicada: Formalización minera", municipality=medellin,
           public=False)


PRIVATE = "Acueducto veredal"
PUBLIC = "Mesa técnica de agua"


@pytest.mark.parametrize(("persona", "sees_private"), [
    (None, False), ("alice", True), ("amy", False), ("bob", False), ("dora", True), ("dario", False),
    ("nina", False), ("carla", True), ("adam", True),
])
def test_private_rows_show_only_to_the_territory_and_coordinators(request, client_as, persona, sees_private):
    _rows()
    user = request.getfixturevalue(persona) if persona else None
    html = client_as(user).get(reverse("territory:municipality", args=["25290"])).content.decode()
    assert PUBLIC in html
    assert (PRIVATE in html) is sees_private
    assert "Formalización minera" not in html  # Medellín's row is not Fusagasugá's


def test_a_row_kept_from_the_public_says_so_in_plain_words(client_as, alice):
    _rows()
    html = client_as(alice).get(reverse("territory:municipality", args=["25290"])).content.decode()
    assert "· no se muestra al público" in html and "privado" not in html


@pytest.mark.parametrize(("persona", "sees"), [
    (None, {PUBLIC}), ("alice", {PUBLIC, PRIVATE}), ("amy", {PUBLIC}),
    ("dora", {PUBLIC, PRIVATE, "Plan departamental"}), ("carla", {PUBLIC, PRIVATE, "Plan departamental"}),
    ("dario", {PUBLIC}),
])
def test_the_department_page_shows_its_own_and_its_municipalities_rows(request, client_as, persona, sees):
    _rows()
    user = request.getfixturevalue(persona) if persona else None
    html = client_as(user).get(reverse("territory:department", args=["25"])).content.decode()
    for text in (PUBLIC, PRIVATE, "Plan departamental"):
        assert (text in html) is (text in sees), text
    assert "Formalización minera" not in html


def test_newest_first_grouped_by_month_with_the_kind(carla):
    _rows()
    page = timeline(user=carla, municipality=muni("25290"))
    assert [m.label for m in page.months] == ["mayo de 2026", "marzo de 2026"]
    assert [(r.label, r.title) for r in page.months[0].rows] == [("Jornada", "Jornada realizada: Mesa técnica de agua")]


def test_filter_by_kind(client_as, carla):
    _rows()
    html = client_as(carla).get(reverse("territory:municipality", args=["25290"]), {"actividad": "jornadas"})
    assert PUBLIC in html.content.decode() and PRIVATE not in html.content.decode()
    assert [m.label for m in timeline(user=carla, municipality=muni("25290"), group="solicitudes").months] == [
        "marzo de 2026"]


def _many(n: int):
    fusa = muni("25290")
    start = datetime(2025, 1, 6, 9, tzinfo=BOGOTA)
    for i in range(n):
        record(key=f"many:{i}", kind="event.done", title=f"Jornada realizada: número {i}", municipality=fusa,
               public=bool(i % 2), occurred_at=start + timedelta(days=7 * i))


def test_pages_of_twenty_newest_first(carla, client_as):
    _many(45)
    first = timeline(user=carla, municipality=muni("25290"))
    assert first.page.paginator.num_pages == 3
    assert first.months[0].rows[0].title == "Jornada realizada: número 44"
    html = client_as(carla).get(reverse("territory:municipality", args=["25290"]), {"actividad_pagina": 3}).content
    assert "número 0\n" in html.decode() and "número 44" not in html.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_a_page_of_the_timeline_is_two_queries(carla, n):
    _many(n)
    fusa = muni("25290")
    with CaptureQueriesContext(connection) as queries:
        page = timeline(user=carla, municipality=fusa)
        titles = [row.title for month in page.months for row in month.rows]
        municipalities = [row.municipality for month in page.months for row in month.rows]
    assert titles and municipalities
    # 1 the count (paginator), 2 the page of rows with their municipality
    assert len(queries) == 2


def test_the_page_runs_the_same_queries_for_one_row_and_many(client_as, dora):
    client = client_as(dora)
    url = reverse("territory:department", args=["25"])
    _many(1)
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _many(40)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(one) == len(many)


@pytest.mark.parametrize(("persona", "sees_private"), [(None, False), ("nina", True), ("nico", False),
                                                       ("alice", False), ("carla", True)])
def test_an_entity_page_shows_what_it_provided_and_published(request, client_as, persona, sees_private):
    from tests.factories import org

    minvivienda = org("MinVivienda")
    record(key="t:service", kind="service.published", title="Servicio publicado: Planes de agua",
           organization=minvivienda)
    record(key="t:provided", kind="event.confirmed", title="Jornada confirmada: Mesa técnica en Girardot",
           organization=minvivienda, public=False)
    record(key="t:other", kind="service.published", title="Servicio publicado: Formalización minera",
           organization=org("ANM"))
    user = request.getfixturevalue(persona) if persona else None
    html = client_as(user).get(reverse("territory:entity", args=["MinVivienda"])).content.decode()
    assert "Memoria de la entidad" in html and "Planes de agua" in html
    assert ("Mesa técnica en Girardot" in html) is sees_private
    assert "Formalización minera" not in html
