"""/api/v1/knowledge/commitments/: per object, Spanish refusals, the status action with its note."""

import pytest

from apps.agenda.models import Status as EventStatus
from apps.knowledge.models import Commitment
from tests.agenda.factories import EventFactory
from tests.factories import org
from tests.knowledge.commitment_factories import CommitmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
S = Commitment.Status
LIST = "/api/v1/knowledge/commitments/"


def test_anonymous_callers_must_sign_in(api):
    assert api.get(LIST).status_code in (401, 403)


def test_the_list_is_scoped_per_person(api_as, alice, bob):
    mine = CommitmentFactory()
    public = CommitmentFactory(workshop=WorkshopFactory(), municipality=None, department=None)
    assert {r["id"] for r in api_as(alice).get(LIST).json()["results"]} == {mine.pk, public.pk}
    api_as(bob)
    assert {r["id"] for r in api_as(bob).get(LIST).json()["results"]} == {public.pk}
    assert api_as(bob).get(f"{LIST}{mine.pk}/").status_code == 404


def test_filters_and_a_bad_filter(api_as, carla):
    CommitmentFactory(status=S.DONE)
    CommitmentFactory()
    client = api_as(carla)
    assert [r["status"] for r in client.get(LIST, {"status": "cumplido"}).json()["results"]] == ["cumplido"]
    assert client.get(LIST, {"status": "nada"}).status_code == 400


def test_the_detail_has_the_progress_and_the_allowed_moves(api_as, nina):
    commitment = CommitmentFactory()
    body = api_as(nina).get(f"{LIST}{commitment.pk}/").json()
    assert body["progress"][0]["note"] == "Compromiso registrado."
    assert body["can_update"] is True
    assert set(body["allowed_statuses"]) == {"pendiente", "en_curso", "cumplido", "descartado", "vencido"}


def test_the_status_action_needs_a_note_and_a_legal_move(api_as, nina, nico):
    commitment = CommitmentFactory(status=S.DONE)
    client = api_as(nina)
    url = f"{LIST}{commitment.pk}/status/"
    assert client.post(url, {"status": "en_curso"}, format="json").status_code == 400
    refused = client.post(url, {"status": "descartado", "note": "No va"}, format="json")
    assert refused.status_code == 400 and "no puede pasar a descartado" in str(refused.json())
    ok = client.post(url, {"status": "en_curso", "note": "Reabierto: faltó un anexo"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "en_curso"
    assert client.post(url, {"status": "en_curso", "note": "Reabierto: faltó un anexo"},
                       format="json").status_code == 200  # the same note twice: one note
    assert commitment.progress.count() == 2
    assert api_as(nico).post(url, {"status": "cumplido", "note": "x"}, format="json").status_code == 404


def test_create_for_a_realised_event_and_refusals(api_as, nina, nico):
    event = EventFactory(status=EventStatus.DONE)
    created = api_as(nina).post(LIST, {"text": "Enviar el acta", "responsible": org("25290").pk, "event": event.pk,
                                       "due_on": "2027-06-30"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["municipality"] == "25290"
    forbidden = api_as(nico).post(LIST, {"text": "Enviar el acta", "responsible": org("ANM").pk,
                                         "event": event.pk}, format="json")
    assert forbidden.status_code == 400  # the jornada is not visible to another entity: "no existe"
    bad = api_as(nina).post(LIST, {"text": ""}, format="json")
    assert bad.status_code == 400


def test_an_editor_creates_only_for_their_own_organisation(api_as, nina):
    own = api_as(nina).post(LIST, {"text": "Publicar la guía", "responsible": nina.organization_id}, format="json")
    assert own.status_code == 201
    other = api_as(nina).post(LIST, {"text": "Publicar la guía", "responsible": org("ANM").pk}, format="json")
    assert other.status_code == 403


def test_the_list_runs_a_constant_number_of_queries(api_as, carla, django_assert_num_queries):
    client = api_as(carla)
    CommitmentFactory()
    # the count, the page (joined with responsible, territory, workshop and jornada; last note as a subquery)
    with django_assert_num_queries(2):
        client.get(LIST)
    for _i in range(10):
        CommitmentFactory(workshop=WorkshopFactory(), event=EventFactory())
    with django_assert_num_queries(2):
        assert len(client.get(LIST).json()["results"]) == 11
