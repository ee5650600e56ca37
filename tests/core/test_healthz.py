"""/healthz: anyone learns whether the site is up; only staff learn what is behind it."""

import pytest

from apps.core import views

pytestmark = pytest.mark.django_db

DETAILS = {"database", "broker", "database_engine"}


def test_it_tells_anonymous_callers_only_the_status(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_hides_details_from_a_coordinator_who_is_not_staff(client_as, carla):
    assert client_as(carla).get("/healthz").json() == {"status": "ok"}


def test_it_gives_staff_the_database_engine_and_broker_state(client_as, adam):
    body = client_as(adam).get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in ("eager", "ok")
    assert body["database_engine"] in ("sqlite", "postgresql")


def test_it_answers_503_without_naming_the_broker_exception_to_anonymous(client, monkeypatch):
    monkeypatch.setattr(views, "_broker_state", lambda: "error: OperationalError")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert b"OperationalError" not in response.content


def test_it_names_the_failing_check_to_staff(client_as, adam, monkeypatch):
    monkeypatch.setattr(views, "_broker_state", lambda: "error: OperationalError")
    response = client_as(adam).get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error: OperationalError"
