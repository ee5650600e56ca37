"""/api/v1/requests/: scope per object, filters, filing, transitions and messages."""

import pytest

from apps.demand.models import Need, NeedMessage, Status
from tests.demand.factories import NeedFactory
from tests.factories import org

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"
NEW = {"sector": "salud", "topic": "Plan territorial de salud", "capacity": "planeacion",
       "problem": "No tenemos quién lo formule.", "expected_result": "El plan formulado.", "priority": "alta",
       "modality": "virtual", "participants": 3}


@pytest.fixture
def needs(db):
    """One filed need each: Fusagasugá, Agua de Dios, Cundinamarca on behalf of Fusagasugá,
    Cundinamarca itself, Medellín; and a draft of Fusagasugá."""
    return {
        "fusa": NeedFactory(),
        "agua": NeedFactory(organization=org("25001")),
        "behalf": NeedFactory(organization=org("25"), municipality_id="25290"),
        "cund": NeedFactory(organization=org("25"), municipality_id=None),
        "mede": NeedFactory(organization=org("05001")),
        "draft": NeedFactory(status=Status.DRAFT, submitted_at=None),
    }


@pytest.mark.parametrize(("persona", "visible"), [
    ("alice", {"fusa", "behalf", "draft"}),
    ("amy", {"agua"}),
    ("bob", {"mede"}),
    ("dora", {"fusa", "agua", "behalf", "cund"}),
    ("dario", {"mede"}),
    ("nina", set()),
    ("carla", {"fusa", "agua", "behalf", "cund", "mede"}),
    ("adam", {"fusa", "agua", "behalf", "cund", "mede"}),
])
def test_each_persona_lists_exactly_the_needs_it_may_see(request, api_as, needs, persona, visible):
    client = api_as(request.getfixturevalue(persona))
    ids = {row["id"] for row in client.get(URL).json()["results"]}
    assert ids == {needs[k].pk for k in visible}
    for key, need in needs.items():
        assert client.get(f"{URL}{need.pk}/").status_code == (200 if key in visible else 404)


def test_anonymous_gets_nothing(api, needs):
    assert api.get(URL).status_code in (401, 403)
    assert api.get(f"{URL}{needs['fusa'].pk}/").status_code in (401, 403)


def test_filters(api_as, carla, needs):
    client = api_as(carla)

    def ids(query):
        response = client.get(URL + query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids("?department=05") == {needs["mede"].pk}
    assert ids("?municipality=25290") == {needs["fusa"].pk, needs["behalf"].pk}
    assert ids("?sector=agua-potable&capacity=planeacion&priority=media&status=radicada") == {
        n.pk for k, n in needs.items() if k != "draft"}
    assert ids("?age=30") == set()
    assert client.get(URL + "?status=volando").status_code == 400


def test_the_list_runs_a_constant_number_of_queries(api_as, carla, needs, django_assert_num_queries):
    client = api_as(carla)
    # count, the page's ids, those needs with organisation, department, municipality, sector
    # and service joined
    with django_assert_num_queries(3):
        client.get(URL)
    NeedFactory.create_batch(20, organization=org("05001"))
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == 25


def test_a_municipality_files_through_the_api(api_as, alice):
    response = api_as(alice).post(URL, NEW, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["municipality"], body["actions"]) == ("radicada", "25290", [])


def test_a_department_files_on_behalf_of_a_municipality_but_not_of_another_departments(api_as, dora):
    client = api_as(dora)
    assert client.post(URL, {**NEW, "municipality": "25001"}, format="json").status_code == 201
    response = client.post(URL, {**NEW, "municipality": "05001"}, format="json")
    assert response.status_code == 400
    assert "no son de Cundinamarca" in str(response.json())


def test_filing_errors_are_400_and_national_entities_403(api_as, alice, nina):
    response = api_as(alice).post(URL, {**NEW, "participants": 0, "window_start": "2026-05-01",
                                        "window_end": "2026-04-01"}, format="json")
    assert response.status_code == 400
    assert api_as(nina).post(URL, NEW, format="json").status_code == 403
    assert Need.objects.count() == 0


def test_a_coordinator_moves_a_need_and_an_illegal_move_is_400_in_spanish(api_as, carla, needs):
    client = api_as(carla)
    url = f"{URL}{needs['fusa'].pk}/transition/"
    response = client.post(url, {"action": "review"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "en_revision"
    assert [a["action"] for a in response.json()["actions"]] == ["reject", "redirect"]  # scheduling is the agenda's
    response = client.post(url, {"action": "attend"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "No se puede «marcar como atendida» una solicitud en estado «En revisión»."}
    response = client.post(url, {"action": "reject"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Escriba el motivo: la entidad territorial lo leerá."]}


def test_a_municipality_cannot_move_its_need_forward(api_as, alice, needs):
    response = api_as(alice).post(f"{URL}{needs['fusa'].pk}/transition/", {"action": "schedule"}, format="json")
    assert response.status_code == 400
    assert "Solo la coordinación DNP puede «programar en la agenda»" in response.json()["detail"]


def test_the_thread_through_the_api(api_as, alice, carla, amy, needs):
    url = f"{URL}{needs['fusa'].pk}/messages/"
    assert api_as(carla).post(url, {"body": "¿Qué fechas les sirven?"}, format="json").status_code == 201
    client = api_as(alice)
    assert [m["body"] for m in client.get(url).json()] == ["¿Qué fechas les sirven?"]
    assert client.post(url, {"body": "  "}, format="json").status_code == 400


def test_another_municipality_gets_404_on_every_api_route_of_a_need(api_as, amy, needs):
    client = api_as(amy)
    base = f"{URL}{needs['fusa'].pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "messages/").status_code == 404
    assert client.post(base + "messages/", {"body": "hola"}, format="json").status_code == 404
    assert client.post(base + "transition/", {"action": "close"}, format="json").status_code == 404
    assert not NeedMessage.objects.exists()


def test_the_requests_endpoint_is_in_the_openapi_schema(client):
    assert b"/api/v1/requests/{id}/transition/" in client.get("/api/schema/").content


def test_a_draft_through_the_api_needs_only_a_topic_and_filing_names_what_is_missing(api_as, alice):
    client = api_as(alice)
    response = client.post(URL, {"topic": "Acueducto veredal", "submit": False}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["sector"], response.json()["sector_name"]) == (
        "borrador", None, None)
    response = client.post(URL, {"topic": "Acueducto veredal"}, format="json")
    assert response.status_code == 400
    assert sorted(response.json()) == ["capacity", "expected_result", "problem", "sector"]
    assert Need.objects.count() == 1


def test_filing_twice_with_one_idempotency_key_files_once(api_as, alice):
    client = api_as(alice)
    first = client.post(URL, NEW, format="json", HTTP_IDEMPOTENCY_KEY="4b1f2c3e-radicar-1")
    again = client.post(URL, {**NEW, "topic": "Otro tema"}, format="json", HTTP_IDEMPOTENCY_KEY="4b1f2c3e-radicar-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert again.json()["id"] == first.json()["id"] and again.json()["topic"] == NEW["topic"]
    assert Need.objects.count() == 1
    assert client.post(URL, NEW, format="json", HTTP_IDEMPOTENCY_KEY="otra-clave").status_code == 201
    assert client.post(URL, NEW, format="json").status_code == 201  # without a key nothing is deduplicated
    assert Need.objects.count() == 3


def test_the_key_is_per_person(api_as, alice, amy):
    api_as(alice).post(URL, NEW, format="json", HTTP_IDEMPOTENCY_KEY="misma-clave")
    response = api_as(amy).post(URL, NEW, format="json", HTTP_IDEMPOTENCY_KEY="misma-clave")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert sorted(Need.objects.values_list("municipality_id", flat=True)) == ["25001", "25290"]


def test_a_message_posted_twice_with_one_idempotency_key_is_written_once(api_as, alice, needs):
    client = api_as(alice)
    url = f"{URL}{needs['fusa'].pk}/messages/"
    first = client.post(url, {"body": "Hola"}, format="json", HTTP_IDEMPOTENCY_KEY="msg-1")
    again = client.post(url, {"body": "Hola"}, format="json", HTTP_IDEMPOTENCY_KEY="msg-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert NeedMessage.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 65, "clave con ñ", "a\tb"])
def test_a_malformed_idempotency_key_is_400_in_spanish(api_as, alice, key):
    response = api_as(alice).post(URL, NEW, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert "Idempotency-Key debe tener de 1 a 64 caracteres visibles" in response.json()["detail"]
    assert not Need.objects.exists()


CONTROL = "Este dato trae caracteres de control (como el carácter nulo) que no se pueden guardar."


@pytest.mark.parametrize(("field", "value"), [
    ("topic", "Plan\x00"), ("problem", "Uno\x00dos"), ("sector", "salud\x00"), ("municipality", "25001\x00"),
    ("capacity", "planeacion\x00"), ("plan_goal", "Meta\x1b"),
])
def test_a_control_character_in_a_json_field_is_400_in_spanish_on_that_field(api_as, dora, field, value):
    """PostgreSQL refuses NUL even in a look-up: without the check a slug with NUL was a 500 there."""
    response = api_as(dora).post(URL, {**NEW, field: value}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [CONTROL]}
    assert not Need.objects.exists()


def test_a_control_character_in_a_message_or_a_reason_is_400_in_spanish(api_as, alice, carla, needs):
    base = f"{URL}{needs['fusa'].pk}/"
    response = api_as(alice).post(base + "messages/", {"body": "Hola\x00"}, format="json")
    assert (response.status_code, response.json()) == (400, {"body": [CONTROL]})
    response = api_as(carla).post(base + "transition/", {"action": "reject", "reason": "No\x00"}, format="json")
    assert (response.status_code, response.json()) == (400, {"reason": [CONTROL]})
    assert not NeedMessage.objects.exists()
