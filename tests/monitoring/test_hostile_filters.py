"""Junk in the indicators' filters (API and pages) answers 200 or a Spanish 400, never a 500:
ids past 64 bits, 200 KB strings, the last date there is, an unknown breakdown."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
URL = "/api/v1/monitoring/indicators/"
HUGE = "x" * 200_000


@pytest.mark.parametrize("params, field", [
    ({"provider": str(2**64)}, "provider"), ({"provider": str(2**63)}, "provider"), ({"provider": "0"}, "provider"),
    ({"provider": "1e3"}, "provider"), ({"period": HUGE}, "period"), ({"period": str(2**64)}, "period"),
    ({"department": HUGE}, "department"), ({"by": "x"}, "by"), ({"code": "x" * 1000}, "code"),
    ({"desde": "2027-02-30"}, "desde"),
])
def test_junk_filters_answer_400_in_spanish(params, field, carla):
    for user in (None, carla):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        response = api.get(URL, params)
        assert response.status_code == 400, response.content[:300]
        assert field in response.json()


@pytest.mark.parametrize("params", [{"desde": "0001-01-01", "hasta": "9999-12-31"}, {"hasta": "9999-12-31"}])
def test_the_widest_dates_there_are_answer_200(params, carla):
    for user in (None, carla):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        response = api.get(URL, {**params, "code": "coverage"})
        assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("page", ["/seguimiento/", "/seguimiento/indicadores/coverage/", "/seguimiento/exportar/"])
def test_pages_take_the_last_date_there_is(client, carla, page):
    client.force_login(carla)
    response = client.get(page, {"starts_on": "0001-01-01", "ends_on": "9999-12-31"})
    assert response.status_code == 200
