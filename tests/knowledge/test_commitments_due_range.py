"""Due dates outside 2000-01-01..2100-12-31 (typos such as 9999-12-31 or 0001-01-01) are refused with
a Spanish message on the field, from the service, the form, the API and the spreadsheet import."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.agenda.models import Status as EventStatus
from apps.knowledge.imports_commitments import import_plan
from apps.knowledge.models import Commitment, CommitmentProgress
from apps.knowledge.services import commitment_create, commitment_update_status
from tests.agenda.factories import EventFactory
from tests.knowledge.commitment_factories import CommitmentFactory

pytestmark = pytest.mark.django_db
S = Commitment.Status
MESSAGE = "La fecha límite debe estar entre el 1 de enero de 2000 y el 31 de diciembre de 2100."


@pytest.mark.parametrize("due", [date(9999, 12, 31), date(1, 1, 1), date(1999, 12, 31), date(2101, 1, 1)])
def test_the_service_refuses_out_of_range_dates_on_create_and_update(nina, due):
    with pytest.raises(ValidationError) as created:
        commitment_create(user=nina, text="Publicar la guía", responsible=nina.organization, due_on=due)
    assert created.value.message_dict["due_on"] == [MESSAGE]
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError) as updated:
        commitment_update_status(user=nina, commitment=commitment, status=S.IN_PROGRESS, note="Va", due_on=due)
    assert updated.value.message_dict["due_on"] == [MESSAGE]
    commitment.refresh_from_db()
    assert commitment.status == S.PENDING and Commitment.objects.count() == 1


@pytest.mark.parametrize("due", [date(2000, 1, 1), date(2021, 6, 30), date(2100, 12, 31)])
def test_the_bounds_themselves_and_2021_reference_dates_pass(nina, due):
    commitment = commitment_create(user=nina, text="Publicar la guía", responsible=nina.organization, due_on=due)
    assert commitment.due_on == due


def test_the_forms_show_the_message_on_the_field(client_as, nina):
    event = EventFactory(status=EventStatus.DONE)
    client = client_as(nina)
    url = reverse("agenda:event_commitments", args=[event.pk])
    page = client.post(url, {"text": "Enviar el informe", "responsible": str(nina.organization_id),
                             "territory": "m:25290", "due_on": "9999-12-31"})
    assert page.status_code == 200 and MESSAGE in page.content.decode()
    assert not Commitment.objects.exists()
    commitment = CommitmentFactory()
    page = client.post(reverse("knowledge:commitment_status", args=[commitment.pk]),
                       {"status": S.IN_PROGRESS, "note": "Va", "due_on": "0001-01-01"})
    assert page.status_code == 400 and MESSAGE in page.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == S.PENDING


def test_the_api_answers_400_with_the_message_on_the_field(api_as, nina):
    client = api_as(nina)
    created = client.post("/api/v1/knowledge/commitments/", {"text": "Publicar la guía",
                                                             "responsible": nina.organization_id,
                                                             "due_on": "9999-12-31"}, format="json")
    assert created.status_code == 400 and MESSAGE in str(created.json()["due_on"])
    commitment = CommitmentFactory()
    moved = client.post(f"/api/v1/knowledge/commitments/{commitment.pk}/status/",
                        {"status": "en_curso", "note": "Va", "due_on": "0001-01-01"}, format="json")
    assert moved.status_code == 400 and MESSAGE in str(moved.json()["due_on"])
    assert Commitment.objects.count() == 1


def test_the_import_marks_the_row(nina):
    commitment = CommitmentFactory()
    notes = CommitmentProgress.objects.count()
    content = ("\ufeffid;estado;nota;fecha límite\n"
               f"{commitment.pk};en curso;Va;9999-12-31\n").encode()
    rows = import_plan(user=nina, content=content)
    assert rows[0].error == MESSAGE and not rows[0].changes
    assert CommitmentProgress.objects.count() == notes
