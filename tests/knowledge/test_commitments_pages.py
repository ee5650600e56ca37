"""Commitments pages: the list and its export, one commitment with its timeline and status form,
"mis compromisos", and a realised jornada's commitments."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.agenda.models import Status as EventStatus
from apps.knowledge.models import Commitment
from tests.agenda.factories import EventFactory
from tests.factories import org
from tests.knowledge.commitment_factories import CommitmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
S = Commitment.Status


def test_anonymous_visitors_see_the_workshop_commitments_only(client):
    public = CommitmentFactory(workshop=WorkshopFactory(), municipality=None, department=None,
                               text="Crear la mesa de asistencia técnica")
    private = CommitmentFactory(text="Entregar el catastro de Fusagasugá")
    page = client.get(reverse("knowledge:commitments")).content.decode()
    assert public.text in page and private.text not in page
    assert client.get(reverse("knowledge:commitment", args=[private.pk])).status_code == 404
    assert client.get(reverse("knowledge:commitment", args=[public.pk])).status_code == 200


@pytest.mark.parametrize(("persona", "code"), [("alice", 200), ("dora", 200), ("nina", 200), ("carla", 200),
                                               ("amy", 404), ("bob", 404), ("nico", 404)])
def test_a_territory_commitment_answers_404_to_others(client_as, request, persona, code):
    commitment = CommitmentFactory()
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("knowledge:commitment", args=[commitment.pk])).status_code == code


def test_the_list_filters_by_status_responsible_territory_and_due(client_as, carla):
    soon = CommitmentFactory(due_on=timezone.localdate() + timedelta(days=3), text="Vence pronto")
    done = CommitmentFactory(status=S.DONE, responsible="ANM", text="Ya cumplido")
    medellin = CommitmentFactory(municipality_id="05001", department_id="05", text="De Medellín")
    client = client_as(carla)

    def shown(**params) -> set[str]:
        page = client.get(reverse("knowledge:commitments"), params).content.decode()
        return {c.text for c in (soon, done, medellin) if c.text in page}

    assert shown() == {"Vence pronto", "Ya cumplido", "De Medellín"}
    assert shown(status="cumplido") == {"Ya cumplido"}
    assert shown(responsible=org("ANM").pk) == {"Ya cumplido"}
    assert shown(department="05") == {"De Medellín"}
    assert shown(due="7") == {"Vence pronto"}
    assert shown(status="nada") == {"Vence pronto", "Ya cumplido", "De Medellín"}  # an unknown value is ignored


def test_the_list_runs_the_same_queries_for_one_row_and_many(client_as, carla):
    client = client_as(carla)
    url = reverse("knowledge:commitments")
    CommitmentFactory()
    client.get(url)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(12):
        CommitmentFactory(responsible="ANM" if i % 2 else "MinVivienda", workshop=WorkshopFactory() if i % 3 else None,
                          event=EventFactory() if i % 4 == 0 else None)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # session and user, the count, the page of commitments (joined, last note as a subquery), the
    # responsible filter's options, the departments' options, the menu's unread count
    assert len(many) == len(one)


def test_the_status_form_writes_a_note_and_refuses_an_empty_one(client_as, alice):
    commitment = CommitmentFactory()
    client = client_as(alice)
    url = reverse("knowledge:commitment_status", args=[commitment.pk])
    refused = client.post(url, {"status": S.IN_PROGRESS, "note": ""})
    assert refused.status_code == 400
    assert "Escriba una nota" in refused.content.decode()
    response = client.post(url, {"status": S.IN_PROGRESS, "note": "Contratamos al consultor."}, follow=True)
    assert response.status_code == 200
    assert "Contratamos al consultor." in response.content.decode()
    assert Commitment.objects.get(pk=commitment.pk).status == S.IN_PROGRESS
    again = client.post(url, {"status": S.IN_PROGRESS, "note": "Contratamos al consultor."}, follow=True)
    assert "ya estaba registrada" in again.content.decode()
    assert commitment.progress.count() == 2  # the double submit wrote one note


def test_the_status_form_is_only_for_those_who_may_move_it(client_as, dora, bob):
    commitment = CommitmentFactory()
    page = client_as(dora).get(reverse("knowledge:commitment", args=[commitment.pk])).content.decode()
    assert "Registrar avance" not in page  # the department sees its municipality's commitment, does not move it
    assert client_as(dora).post(reverse("knowledge:commitment_status", args=[commitment.pk]),
                                {"status": S.DONE, "note": "x"}).status_code == 403
    assert client_as(bob).post(reverse("knowledge:commitment_status", args=[commitment.pk]),
                               {"status": S.DONE, "note": "x"}).status_code == 404


def test_an_illegal_move_is_a_field_error_in_spanish(client_as, carla):
    commitment = CommitmentFactory(status=S.DONE)
    response = client_as(carla).post(reverse("knowledge:commitment_status", args=[commitment.pk]),
                                     {"status": S.DISCARDED, "note": "No va."})
    assert response.status_code == 400
    assert "no puede pasar a descartado" in response.content.decode()


def test_mine_lists_the_organisations_commitments(client_as, nina):
    mine = CommitmentFactory(text="De MinVivienda")
    CommitmentFactory(responsible="ANM", municipality_id="05001", department_id="05", text="De la ANM")
    page = client_as(nina).get(reverse("knowledge:commitments_mine")).content.decode()
    assert mine.text in page and "De la ANM" not in page


def test_the_export_is_the_import_template(client_as, nina):
    commitment = CommitmentFactory(due_on=timezone.localdate(), first_note="=HYPERLINK(\"http://x\")")
    client = client_as(nina)
    response = client.get(reverse("knowledge:commitments_export"), {"mios": "1", "formato": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("id", "compromiso", "responsable", "territorio", "origen", "fecha límite", "estado", "nota")
    assert rows[1][0] == commitment.pk and rows[1][6] == "Pendiente"
    assert rows[1][7].startswith("'=")  # a formula stays text
    csv = b"".join(client.get(reverse("knowledge:commitments_export"), {"formato": "csv"}).streaming_content)
    assert csv.startswith("\ufeff".encode()) and b";" in csv.splitlines()[0]


# --- A jornada's commitments ------------------------------------------------------------------

def test_providers_record_commitments_on_a_realised_jornada(client_as, nina):
    event = EventFactory(status=EventStatus.DONE)
    client = client_as(nina)
    assert 'id="event-commitments"' in client.get(event.get_absolute_url()).content.decode()
    url = reverse("agenda:event_commitments", args=[event.pk])
    page = client.get(url).content.decode()
    assert "Registrar un compromiso" in page
    data = {"text": "Enviar el informe de la visita", "responsible": str(nina.organization_id),
            "territory": "m:25290", "due_on": (timezone.localdate() + timedelta(days=20)).isoformat()}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit
    commitment = Commitment.objects.get()
    assert (commitment.event, commitment.municipality_id, commitment.responsible) == (event, "25290",
                                                                                      nina.organization)
    assert "Enviar el informe de la visita" in client.get(url).content.decode()


def test_the_territory_reads_a_jornadas_commitments_without_the_form(client_as, alice, nina):
    event = EventFactory(status=EventStatus.DONE)
    CommitmentFactory(event=event, text="Capacitar al equipo de planeación")
    page = client_as(alice).get(reverse("agenda:event_commitments", args=[event.pk])).content.decode()
    assert "Capacitar al equipo de planeación" in page and "Registrar un compromiso" not in page
    assert client_as(alice).post(reverse("agenda:event_commitments", args=[event.pk]),
                                 {"text": "x"}).status_code == 403


def test_a_jornadas_page_does_not_repeat_the_jornada_on_each_commitment(client_as, alice):
    event = EventFactory(status=EventStatus.DONE, title="Mesa técnica de acueductos veredales")
    CommitmentFactory(event=event, text="Capacitar al equipo de planeación")
    page = client_as(alice).get(reverse("agenda:event_commitments", args=[event.pk])).content.decode()
    assert "Jornada: Mesa técnica de acueductos veredales" not in page
    assert "Jornada: Mesa técnica de acueductos veredales" in client_as(alice).get(
        reverse("knowledge:commitments")).content.decode()  # the list of all still says where it came from


def test_commitments_wait_for_the_jornada_to_be_realised(client_as, nina):
    event = EventFactory(status=EventStatus.CONFIRMED)
    client = client_as(nina)
    assert 'id="event-commitments"' not in client.get(event.get_absolute_url()).content.decode()
    page = client.get(reverse("agenda:event_commitments", args=[event.pk])).content.decode()
    assert "cuando la jornada ya se realizó" in page


def test_the_event_form_keeps_the_text_on_an_error(client_as, nina):
    event = EventFactory(status=EventStatus.DONE)
    response = client_as(nina).post(reverse("agenda:event_commitments", args=[event.pk]),
                                    {"text": "Mi compromiso sin responsable", "territory": "m:25290"})
    assert response.status_code == 200
    assert "Mi compromiso sin responsable" in response.content.decode()
    assert not Commitment.objects.exists()


def test_a_workshops_commitments_by_link(client):
    workshop = WorkshopFactory()
    CommitmentFactory(workshop=workshop, municipality=None, department=None, text="Del taller")
    CommitmentFactory(workshop=WorkshopFactory(), municipality=None, department=None, text="De otro taller")
    page = client.get(reverse("knowledge:commitments"), {"workshop": workshop.slug}).content.decode()
    assert "Del taller" in page and "De otro taller" not in page
    assert f'name="workshop" value="{workshop.slug}"' in page  # kept while filtering further


def test_anonymous_visitors_do_not_see_who_wrote_the_notes(client, carla):
    from apps.knowledge.services import commitment_update_status

    commitment = CommitmentFactory(workshop=WorkshopFactory(), municipality=None, department=None, responsible="DNP")
    commitment_update_status(user=carla, commitment=commitment, status=S.IN_PROGRESS, note="Borrador listo.")
    page = client.get(reverse("knowledge:commitment", args=[commitment.pk])).content.decode()
    assert "Borrador listo." in page and str(carla) not in page
