"""/api/v1/monitoring/: public indicators, coordinator-only follow-ups, freezing a period."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.agenda.models import AgendaPeriod, Event
from apps.monitoring.indicators import CODES
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.monitoring import indicator_data as data

pytestmark = pytest.mark.django_db
URL = "/api/v1/monitoring/indicators/"
FIELDS = {"code", "name", "formula", "value", "unit", "numerator", "denominator", "breakdown", "by", "frozen",
          "frozen_at", "frozen_note", "baseline_2021"}


@pytest.fixture
def period():
    period = AgendaPeriod.objects.create(name="2027-T1", starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31),
                                         status=AgendaPeriod.Status.PUBLISHED, published_at=timezone.now())
    return period


@pytest.fixture
def answered(period):
    fusa = Municipality.objects.get(code="25290")
    event = EventFactory(status=Event.Status.DONE, period=period)
    EventFactory(status=Event.Status.DONE, period=period, municipalities=["05001"], providers=["ANM"])
    data.answer(data.invitation(event, municipality=fusa), {"satisfaction": 4})
    return event


def by_code(response) -> dict:
    return {item["code"]: item for item in response.json()}


def test_anyone_reads_every_indicator_with_its_formula_and_breakdown(api_as, answered, carla):
    response = api_as(None).get(URL)
    assert response.status_code == 200
    items = by_code(response)
    assert list(items) == list(CODES)
    assert all(FIELDS <= set(item) for item in items.values())
    events = items["events_per_provider"]
    assert (events["numerator"], events["denominator"], events["by"]) == (2, 2, "department")
    assert {r["label"]: r["value"] for r in events["breakdown"]} == {"Antioquia": 1.0, "Cundinamarca": 1.0}
    # One answer: withheld from the public (the pages' small-number rule), given whole to coordinators.
    assert items["satisfaction"]["value"] is None and items["satisfaction"]["withheld"] is True
    assert "1 a 5" in items["satisfaction"]["formula"]
    # Aggregates only: no e-mail of the respondent anywhere.
    assert "@" not in response.content.decode()
    assert by_code(api_as(carla).get(URL, {"code": "satisfaction"}))["satisfaction"]["value"] == 4.0


def test_filters_period_department_provider_and_breakdown(api_as, answered, period):
    api = api_as(None)
    for value in (period.name, str(period.pk)):
        items = by_code(api.get(URL, {"period": value, "code": "events_per_provider"}))
        assert items["events_per_provider"]["numerator"] == 2
    assert by_code(api.get(URL, {"department": "05"}))["events_per_provider"]["numerator"] == 1
    minvivienda = answered.providers.get().pk
    assert by_code(api.get(URL, {"provider": minvivienda}))["events_per_provider"]["numerator"] == 1
    items = by_code(api.get(URL, {"by": "provider", "code": ["joint_missions", "satisfaction"]}))
    assert list(items) == ["joint_missions", "satisfaction"]
    assert {r["label"] for r in items["joint_missions"]["breakdown"]} == {
        "Agencia Nacional de Minería", "Ministerio de Vivienda, Ciudad y Territorio"}
    assert by_code(api.get(URL, {"by": "none"}))["coverage"]["breakdown"] == []


@pytest.mark.parametrize("params, field", [
    ({"by": "municipio"}, "by"), ({"period": "2099-T9"}, "period"), ({"provider": "abc"}, "provider"),
    ({"desde": "ayer"}, "desde"), ({"code": "nada"}, "code"), ({"desde": "2027-02-01", "hasta": "2027-01-01"}, "hasta"),
])
def test_bad_filters_answer_400_in_spanish(api_as, params, field):
    response = api_as(None).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_freezing_a_period_through_the_api(api_as, carla, alice, answered, period):
    url = f"/api/v1/monitoring/periods/{period.pk}/freeze/"
    assert api_as(None).post(url).status_code == 401
    assert api_as(alice).post(url).status_code == 403
    api = api_as(carla)
    first = api.post(url)
    assert first.status_code == 201
    assert first.json()["period"] == "2027-T1"
    Event.objects.update(status=Event.Status.CANCELLED)
    again = api.post(url)
    assert again.status_code == 200 and again.json() == first.json()
    items = by_code(api_as(None).get(URL, {"period": "2027-T1"}))
    assert items["events_per_provider"]["numerator"] == 2
    assert items["coverage"]["frozen"] is True
    assert items["coverage"]["frozen_note"].startswith("Cifras congeladas el ")
    assert api.post("/api/v1/monitoring/periods/999999/freeze/").status_code == 404
    open_period = AgendaPeriod.objects.create(name="2027-T2", starts_on=date(2027, 4, 1), ends_on=date(2027, 6, 30))
    response = api.post(f"/api/v1/monitoring/periods/{open_period.pk}/freeze/")
    assert response.status_code == 400 and "period" in response.json()


def test_followups_are_for_coordinators_only(api_as, alice, nina, dora, carla, answered):
    url = "/api/v1/monitoring/followups/"
    assert api_as(None).get(url).status_code == 401
    for person in (alice, nina, dora):
        api = api_as(person)
        assert api.get(url).status_code == 403
        assert api.get(f"{url}{answered.followups.first().pk}/").status_code == 403
    response = api_as(carla).get(url)
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["event"]["id"] == answered.pk and item["answered_at"]
    assert [(a["role"], a["number"]) for a in item["answers"]] == [("satisfaction", 4)]
    detail = api_as(carla).get(f"{url}{item['id']}/")
    assert detail.status_code == 200 and detail.json()["email"] == item["email"]
    assert api_as(carla).get(f"{url}999999/").status_code == 404


def test_followup_list_queries_do_not_grow(api_as, carla, answered):
    api = api_as(carla)
    fusa = Municipality.objects.get(code="25290")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/monitoring/followups/").status_code == 200
        return len(queries)

    few = count()
    for value in (1, 2, 3, 5):
        data.answer(data.invitation(answered, municipality=fusa), {"satisfaction": value, "pertinence": 3})
    # page count, the page (with event and organisation), submissions, answers (with question, option)
    assert count() == few == 4
