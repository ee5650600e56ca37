"""A hostile JSON body is a 400 on every API write, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/requests/", "/api/v1/offers/", "/api/v1/agenda/events/"])
def test_json_nested_past_pythons_recursion_limit_is_a_400(api_as, alice, url):
    response = api_as(alice).post(url, "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "El JSON anida demasiados niveles."}


def test_ordinary_json_still_parses(api_as, alice):
    response = api_as(alice).post("/api/v1/requests/", {"topic": "Acueducto", "submit": False}, format="json")
    assert response.status_code == 201
