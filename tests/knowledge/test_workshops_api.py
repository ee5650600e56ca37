"""/api/v1/knowledge/workshops/: public reads with the nested tree, recording by signed-in people
through the same service as the pages, Spanish refusals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.knowledge.models import Workshop
from apps.knowledge.reference import load_workshops
from tests.factories import org

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "title": "Taller de catastro multipropósito", "held_on": "2027-04-05", "organizers": ["DNP", "MinVivienda"],
    "participants_count": 18, "central_problem": "El catastro está desactualizado.",
    "tree": {"causes": [{"text": "Falta de personal", "children": [{"text": "Alta rotación"}]},
                        {"text": "Sin recursos"}],
             "objectives": [{"text": "Formar al personal", "answers": 1, "children": [{"text": "Curso ESAP"}]},
                            {"text": "Conseguir recursos", "answers": 2}]},
    "challenges": ["Mantener al personal formado"],
    "commitments": [{"text": "Dictar el curso", "responsible": "MinVivienda", "due_on": "2027-07-01"}],
}


@pytest.fixture
def reference(db):
    load_workshops()


def test_anyone_lists_the_workshops_in_constant_queries(api, reference):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/knowledge/workshops/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8 and body["results"][0]["held_on"] == "2021-12-01"
    assert len(queries.captured_queries) <= 3  # count, page (with annotations), nothing per row


def test_a_workshop_comes_with_its_nested_tree_challenges_and_commitments(api, reference):
    body = api.get("/api/v1/knowledge/workshops/taller-2021-7-departamentos/").json()
    assert body["participants_count"] == 44
    cause = body["tree"]["causes"][0]
    assert cause["text"].startswith("Bajo nivel de coordinación") and len(cause["children"]) == 11
    assert [o["answers"] for o in body["tree"]["objectives"]] == [1, 2, 3, 4]
    assert body["challenges"][2] == "Ajustar el objetivo general."
    assert len(body["commitments"]) == 2 and body["commitments"][0]["url"].startswith("/conocimiento/compromisos/")
    patt = api.get("/api/v1/knowledge/workshops/arbol-de-problemas-patt/").json()
    assert patt["is_patt"] and len(patt["tree"]["causes"]) == 4
    assert api.get("/api/v1/knowledge/workshops/no-existe/").status_code == 404


def test_a_coordinator_records_a_workshop(api_as, carla):
    response = api_as(carla).post("/api/v1/knowledge/workshops/", PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tree"]["causes"][0]["children"][0]["text"] == "Alta rotación"
    assert body["tree"]["objectives"][0]["children"][0]["text"] == "Curso ESAP"
    assert body["commitments"][0]["responsible"] == org("MinVivienda").pk
    workshop = Workshop.objects.get(slug=body["slug"])
    assert workshop.created_by == carla


def test_anonymous_callers_cannot_record(api):
    assert api.post("/api/v1/knowledge/workshops/", PAYLOAD, format="json").status_code in (401, 403)
    assert not Workshop.objects.exists()


def test_refusals_are_in_spanish_by_field(api_as, carla, alice):
    bad = {**PAYLOAD, "tree": {**PAYLOAD["tree"], "objectives": [{"text": "X", "answers": 7}]}}
    response = api_as(carla).post("/api/v1/knowledge/workshops/", bad, format="json")
    assert response.status_code == 400 and "no existe" in response.json()["objectives"][0]
    elsewhere = {**PAYLOAD, "municipality": "05001"}
    response = api_as(alice).post("/api/v1/knowledge/workshops/", elsewhere, format="json")
    assert response.status_code == 400 and "propio territorio" in response.json()["municipality"][0]


@pytest.mark.parametrize("year", ["²⁰²¹", "２０２１", "21", "abc"])
def test_a_year_not_in_ascii_digits_is_a_spanish_400(client, year):
    """"²⁰²¹" passed str.isdigit() and broke int(): a 500."""
    response = client.get("/api/v1/knowledge/workshops/", {"year": year})
    assert response.status_code == 400 and "año de cuatro cifras" in response.content.decode()
