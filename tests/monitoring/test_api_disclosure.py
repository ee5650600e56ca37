"""The indicators API applies the pages' small-number rule: figures resting on fewer than 5
follow-up answers are not published to the public (apps/monitoring/dashboards.py); coordinators
get everything. Only published periods are public, as on the pages and in the open data."""

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.agenda.models import AgendaPeriod, Event
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.monitoring import indicator_data as data

pytestmark = pytest.mark.django_db
URL = "/api/v1/monitoring/indicators/"


def get(user, params=None):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    response = api.get(URL, params or {})
    assert response.status_code == 200, response.content
    return {item["code"]: item for item in response.json()}


@pytest.fixture
def answers():
    """One satisfaction answer from Fusagasugá (Cundinamarca), five from Medellín (Antioquia), six
    from Bogotá."""
    fusa, medellin = Municipality.objects.get(code="25290"), Municipality.objects.get(code="05001")
    bogota = Municipality.objects.get(code="11001")
    event = EventFactory(status=Event.Status.DONE)
    other = EventFactory(status=Event.Status.DONE, municipalities=["05001"])
    third = EventFactory(status=Event.Status.DONE, municipalities=["11001"])
    data.answer(data.invitation(event, municipality=fusa), {"satisfaction": 2})
    for value in (4, 4, 5, 5, 5):
        data.answer(data.invitation(other, municipality=medellin), {"satisfaction": value})
    for value in (3, 3, 3, 3, 3, 3):
        data.answer(data.invitation(third, municipality=bogota), {"satisfaction": value})


def test_public_api_withholds_groups_of_fewer_than_five_answers(answers, alice, nina, carla):
    for person in (None, alice, nina):
        item = get(person, {"code": "satisfaction"})["satisfaction"]
        assert (item["value"], item["denominator"], item["withheld"]) == (3.58, 12, False)  # 12 answers: published
        rows = {row["key"]: row for row in item["breakdown"]}
        assert (rows["25"]["value"], rows["25"]["numerator"], rows["25"]["denominator"]) == (None, None, None)
        assert rows["25"]["withheld"] is True
        # Antioquia rests on 5 answers, but the total minus Antioquia and Bogotá would be the one answer
        # of Cundinamarca: the smallest published row is withheld with it.
        assert (rows["05"]["value"], rows["05"]["numerator"], rows["05"]["withheld"]) == (None, None, True)
        assert rows["11"]["value"] == 3.0 and rows["11"]["withheld"] is False
    # A filter down to one municipality leaves one answer: nothing of it reaches the public (alice is
    # Fusagasugá's own: she sees it, as on her municipality's panel).
    assert get(alice, {"code": "satisfaction", "municipality": "25290"})["satisfaction"]["value"] == 2.0
    for person in (None, nina):
        item = get(person, {"code": "satisfaction", "municipality": "25290"})["satisfaction"]
        assert (item["value"], item["numerator"], item["denominator"], item["withheld"]) == (None, None, None, True)
    # Coordinators get everything.
    item = get(carla, {"code": "satisfaction", "municipality": "25290"})["satisfaction"]
    assert (item["value"], item["denominator"], item["withheld"]) == (2.0, 1.0, False)
    rows = {row["key"]: row for row in get(carla, {"code": "satisfaction"})["satisfaction"]["breakdown"]}
    assert (rows["25"]["value"], rows["05"]["value"]) == (2.0, 4.6) and not rows["25"]["withheld"]


def test_the_public_indicator_page_withholds_the_complement_too(answers, client):
    """The page's table shows neither Cundinamarca (one answer) nor Antioquia (the total minus
    Antioquia and Bogotá would be Cundinamarca's answer); Bogotá's figure stays."""
    from apps.monitoring import dashboards as dash
    from apps.monitoring.indicators import Filters, indicators_compute

    (found,) = indicators_compute(user=None, filters=Filters(), by="department", codes=["satisfaction"])
    rows = {row.key: row for row in dash.card(found, full=False).rows}
    assert rows["25"].withheld and rows["05"].withheld and not rows["11"].withheld
    assert rows["05"].value is None and rows["11"].value == 3.0
    html = client.get("/seguimiento/indicadores/satisfaction/").content.decode()
    assert "4,6" not in html


def test_public_api_matches_the_public_indicator_page(answers, client):
    """What the public page withholds, the public API withholds too."""
    page = client.get("/seguimiento/indicadores/satisfaction/", {"department": "25"})
    assert page.status_code == 200 and "no se publica" in page.content.decode()
    item = get(None, {"code": "satisfaction", "department": "25"})["satisfaction"]
    assert item["value"] is None and item["withheld"] is True
    # Counts of events and needs are never withheld.
    assert get(None, {"code": "events_per_provider", "department": "25"})["events_per_provider"]["numerator"] == 1


def test_only_published_periods_are_public(carla, alice):
    draft = AgendaPeriod.objects.create(name="2027-T3", starts_on=date(2027, 7, 1), ends_on=date(2027, 9, 30))
    closed = AgendaPeriod.objects.create(name="2026-T4", starts_on=date(2026, 10, 1), ends_on=date(2026, 12, 31),
                                         status=AgendaPeriod.Status.CLOSED, published_at=timezone.now())
    for period in (draft, closed):
        for value in (period.name, str(period.pk)):
            for person in (None, alice):
                api = APIClient()
                if person is not None:
                    api.force_authenticate(person)
                response = api.get(URL, {"period": value})
                assert response.status_code == 400 and "period" in response.json()
            assert get(carla, {"period": value, "code": "coverage"})["coverage"]["code"] == "coverage"


def test_a_municipality_s_answer_figures_only_go_to_its_own_people(answers, alice, amy, bob, carla):
    """Five answers from Medellín. Its public panel shows no figure read from answers, however
    many: neither does the API to outsiders. Its own people and coordinators see them."""
    for person in (None, alice, amy):
        item = get(person, {"code": ["satisfaction", "events_per_provider"], "municipality": "05001"})
        assert (item["satisfaction"]["value"], item["satisfaction"]["withheld"]) == (None, True)
        assert all(row["withheld"] for row in item["satisfaction"]["breakdown"])
        assert item["events_per_provider"]["numerator"] == 1  # counts of events are never withheld
    for person in (bob, carla):
        item = get(person, {"code": "satisfaction", "municipality": "05001"})["satisfaction"]
        assert (item["value"], item["withheld"]) == (4.6, False)
