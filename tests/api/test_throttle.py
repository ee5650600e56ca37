"""API throttling is on: anonymous callers, signed-in callers and, stricter, the token endpoint."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_token_endpoint_answers_429_after_ten_tries_a_minute(api, alice):
    # Ten different addresses: the same one would be locked by django-axes after five failures.
    for n in range(10):
        assert api.post("/api/v1/auth/token/", {"username": f"nadie{n}@x.co", "password": "mala"}).status_code == 400
    response = api.post("/api/v1/auth/token/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_the_token_endpoint_still_gives_a_token_under_the_limit(api, alice):
    response = api.post("/api/v1/auth/token/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["token"]


def test_anonymous_callers_are_throttled_also_on_reference_data(api, api_throttle):
    api_throttle["anon"] = "3/min"
    for _ in range(3):
        assert api.get("/api/v1/sectors/").status_code == 200
    assert api.get("/api/v1/departments/").status_code == 429


def test_signed_in_callers_are_throttled_per_person(api_as, alice, bob, api_throttle):
    api_throttle["user"] = "2/min"
    client = api_as(alice)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 429
    client.force_authenticate(bob)
    assert client.get("/api/v1/me/").status_code == 200
