"""Digits that are not ASCII ("²", "١") pass `str.isdigit()` but `int("²")` raises: every id read
from a query string or a form must be ASCII digits, and anything else is simply "not found"."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

JUNK = ["²", "²⁰²¹", "١", "9" * 25]


@pytest.mark.parametrize("value", JUNK)
def test_the_agenda_merge_ignores_non_ascii_ids(client_as, carla, value):
    response = client_as(carla).post(reverse("agenda:conflict_merge"), {"events": [value]})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("value", JUNK)
def test_the_open_data_refuses_a_non_ascii_period(client, value):
    assert client.get(reverse("monitoring:open_data"), {"period": value}).status_code == 404


@pytest.mark.parametrize("value", JUNK)
def test_the_indicators_api_takes_a_non_ascii_period_as_unknown(api, value):
    response = api.get("/api/v1/monitoring/indicators/", {"period": value})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", JUNK)
def test_the_dashboard_takes_a_non_ascii_department_as_unknown(client_as, carla, value):
    assert client_as(carla).get(reverse("monitoring:dashboard"), {"department": value}).status_code == 200


@pytest.mark.parametrize("value", JUNK)
def test_a_need_form_asked_for_a_non_ascii_service_starts_empty(client_as, alice, value):
    assert client_as(alice).get(reverse("demand:create"), {"servicio": value}).status_code == 200
