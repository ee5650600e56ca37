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
    """One satisfaction answer from Fusagasugá (Cundinamarca), five from Medellín (Antioquia)."""
    fusa, medellin = Municipality.objects.get(code="25290"), Municipality.objects.get(code="05001")
    event = EventFactory(status=Event.Status.DONE)
    other = EventFactory(status=Event.Status.DONE, municipalities=["05001"])
    data.answer(data.invitation(event, municipality=fusa), {"satisfaction": 2})
    for value in (4, 4, 5, 5, 5):
        data.answer(data.invitation(other, municipality=medellin), {"satisfaction": value})


def test_public_api_withholds_groups_of_fewer_than_five_answers(answers, alice, nina, carla):
    for person in (None, alice, nina):
        item = get(person, {"code": "satisfaction"})["satisfaction"]
        assert item["value"] == 4.17 and item["withheld"] is False  # 6 answers: published
        rows = {row["key"]: row for row in item["breakdown"]}
        assert (rows["25"]["value"], rows["25"]["numerator"], rows["25"]["denominator"]) == (None, None, None)
        assert rows["25"]["withheld"] is True
        assert rows["05"]["value"] == pytest.approx(4.6) and rows["05"]["withheld"] is False
    # A filter down to one municipality leaves one answer: nothing of it reaches the public.
    for person in (None, alice):
        item = get(person, {"code": "satisfaction", "municipality": "25290"})["satisfaction"]
        assert (item["value"], item["numerator"], item["denominator"], item["withheld"]) == (None, None, None, True)
    # Coordinators get everything.
    item = get(carla, {"code": "satisfaction", "municipality": "25290"})["satisfaction"]
    assert (item["value"], item["denominator"], item["withheld"]) == (2.0, 1.0, False)
    rows = {row["key"]: row for row in get(carla, {"code": "satisfaction"})["satisfaction"]["breakdown"]}
    assert rows["25"]["value"] == 2.0 and rows["25"]["withheld"] is False


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
