"""Commitments: recording, moving with a dated note, who may, the activity record, the reminders."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.agenda.models import Status as EventStatus
from apps.core.models import Activity, Notification
from apps.knowledge import reminders, selectors, services
from apps.knowledge.models import Commitment, CommitmentProgress
from apps.knowledge.tasks import commitment_reminders
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.factories import org
from tests.knowledge.commitment_factories import CommitmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
S = Commitment.Status


# --- Who sees and who moves: one table -------------------------------------------------------

# A commitment of MinVivienda (responsible) for Fusagasugá (25290, Cundinamarca).
TABLE = [
    # persona, sees, moves
    ("anonymous", False, False),
    ("alice", True, True),     # the territory
    ("amy", False, False),     # another municipality of the department
    ("bob", False, False),     # another department
    ("dora", True, False),     # the department sees its municipalities' commitments, moves its own
    ("dario", False, False),
    ("nina", True, True),      # the responsible entity
    ("nico", False, False),    # another entity
    ("carla", True, True),     # coordinator
]


@pytest.mark.parametrize(("persona", "sees", "moves"), TABLE)
def test_who_sees_and_moves_a_territory_commitment(request, persona, sees, moves):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    commitment = CommitmentFactory()
    assert selectors.commitment_list(user=user).filter(pk=commitment.pk).exists() is sees
    assert selectors.commitments_editable(user=user).filter(pk=commitment.pk).exists() is moves
    if moves:
        services.commitment_update_status(user=user, commitment=commitment, status=S.IN_PROGRESS, note="Avanza.")
        assert Commitment.objects.get(pk=commitment.pk).status == S.IN_PROGRESS
    elif user.is_authenticated:
        with pytest.raises(PermissionDenied):
            services.commitment_update_status(user=user, commitment=commitment, status=S.DONE, note="Listo.")


def test_workshop_commitments_are_public_reference(db):
    from django.contrib.auth.models import AnonymousUser

    commitment = CommitmentFactory(workshop=WorkshopFactory(), municipality=None, department=None)
    assert list(selectors.commitment_list(user=AnonymousUser())) == [commitment]


def test_a_department_moves_its_own_commitment_but_not_its_municipalities(dora):
    cundinamarca = Municipality.objects.get(code="25290").department
    own = CommitmentFactory(municipality=None, department=cundinamarca)
    services.commitment_update_status(user=dora, commitment=own, status=S.DONE, note="Hecho.")
    with pytest.raises(PermissionDenied):
        services.commitment_update_status(user=dora, commitment=CommitmentFactory(), status=S.DONE, note="Hecho.")


# --- Moving ------------------------------------------------------------------------------------

def test_every_change_writes_a_dated_note_and_keeps_the_history(nina):
    commitment = CommitmentFactory()
    services.commitment_update_status(user=nina, commitment=commitment, status=S.IN_PROGRESS, note="Contratado.")
    services.commitment_update_status(user=nina, commitment=commitment, status=S.IN_PROGRESS, note="Mitad lista.")
    services.commitment_update_status(user=nina, commitment=commitment, status=S.DONE, note="Entregado.")
    notes = list(commitment.progress.order_by("id").values_list("from_status", "to_status", "note"))
    assert notes[1:] == [(S.PENDING, S.IN_PROGRESS, "Contratado."), (S.IN_PROGRESS, S.IN_PROGRESS, "Mitad lista."),
                         (S.IN_PROGRESS, S.DONE, "Entregado.")]
    assert all(p.created_at for p in commitment.progress.all())
    assert commitment.history.count() == 4  # created + three saves


def test_a_note_is_required_in_spanish(nina):
    with pytest.raises(ValidationError) as exc:
        services.commitment_update_status(user=nina, commitment=CommitmentFactory(), status=S.DONE, note="  ")
    assert "Escriba una nota" in str(exc.value)


@pytest.mark.parametrize(("start", "to", "ok"), [
    (S.PENDING, S.IN_PROGRESS, True), (S.PENDING, S.DONE, True), (S.PENDING, S.DISCARDED, True),
    (S.DONE, S.IN_PROGRESS, True), (S.DONE, S.DISCARDED, False), (S.DONE, S.PENDING, False),
    (S.DISCARDED, S.DONE, False), (S.DISCARDED, S.PENDING, True), (S.OVERDUE, S.DONE, True),
])
def test_allowed_moves_come_from_one_table(carla, start, to, ok):
    commitment = CommitmentFactory(status=start)
    if ok:
        services.commitment_update_status(user=carla, commitment=commitment, status=to, note="Cambio.")
        assert Commitment.objects.get(pk=commitment.pk).status == to
    else:
        with pytest.raises(ValidationError, match="no puede pasar a"):
            services.commitment_update_status(user=carla, commitment=commitment, status=to, note="Cambio.")


def test_an_unknown_status_is_refused(carla):
    with pytest.raises(ValidationError, match="Estado no válido"):
        services.commitment_update_status(user=carla, commitment=CommitmentFactory(), status="hecho", note="x")


def test_the_same_import_key_applies_once(carla):
    commitment = CommitmentFactory()
    first = services.commitment_update_status(user=carla, commitment=commitment, status=S.DONE, note="Listo.",
                                              import_key="abc:1")
    again = services.commitment_update_status(user=carla, commitment=commitment, status=S.DONE, note="Listo.",
                                              import_key="abc:1")
    assert first is not None and again is None
    assert commitment.progress.count() == 2


# --- Recording ---------------------------------------------------------------------------------

def test_recording_writes_the_activity_for_the_territory_and_the_responsible(carla):
    fusa = Municipality.objects.get(code="25290")
    commitment = services.commitment_create(user=carla, text="Actualizar el PBOT", responsible=org("25290"),
                                            municipality=fusa, due_on=timezone.localdate() + timedelta(days=60))
    assert commitment.status == S.PENDING and commitment.department_id == "25"
    created = Activity.objects.get(kind="commitment.created")
    assert (created.municipality_id, created.department_id, created.organization_id) == ("25290", "25",
                                                                                          org("25290").pk)
    assert created.public is False
    services.commitment_update_status(user=carla, commitment=commitment, status=S.IN_PROGRESS, note="Empezó.")
    assert Activity.objects.filter(kind="commitment.status", municipality_id="25290").count() == 1
    assert CommitmentProgress.objects.filter(commitment=commitment).count() == 2


def test_an_editor_records_only_their_own_organisations_commitments(nina):
    mine = services.commitment_create(user=nina, text="Publicar la guía", responsible=nina.organization)
    assert mine.responsible == nina.organization
    with pytest.raises(PermissionDenied):
        services.commitment_create(user=nina, text="Que el ANM haga algo", responsible=org("ANM"))


def test_providers_record_a_realised_events_commitments_for_its_territory(nina, nico):
    event = EventFactory(status=EventStatus.DONE)
    commitment = services.commitment_create(user=nina, text="Enviar el informe", responsible=org("25290"),
                                            event=event)
    assert commitment.municipality_id == "25290"  # the jornada's only territory
    with pytest.raises(PermissionDenied):
        services.commitment_create(user=nico, text="x", responsible=org("ANM"), event=event)
    with pytest.raises(ValidationError, match="prestó la jornada"):
        services.commitment_create(user=nina, text="x", responsible=org("ANM"), event=event)
    proposed = EventFactory()
    with pytest.raises(PermissionDenied):
        services.commitment_create(user=nina, text="x", responsible=org("25290"), event=proposed)


def test_recording_asks_for_the_text_and_the_responsible(carla):
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(user=carla, text=" ")
    assert set(exc.value.message_dict) == {"text", "responsible"}


# --- Reminders ---------------------------------------------------------------------------------

def _due_in(days: int, **fields):
    return CommitmentFactory(due_on=timezone.localdate() + timedelta(days=days), **fields)


def test_falling_due_reminds_the_responsible_organisation_once(nina):
    organization = nina.organization
    organization.email = "contacto@minvivienda.gov.co"
    organization.save()
    commitment = _due_in(5)
    assert commitment_reminders.delay().get() == 2
    rows = Notification.objects.filter(kind="commitment_reminder")
    assert sorted(r.address for r in rows) == ["contacto@minvivienda.gov.co", nina.email]
    assert all(f"knowledge:commitment:{commitment.pk}:reminder:7d:" in r.key for r in rows)
    assert "vence el" in rows[0].subject
    assert reminders.commitment_reminders_write() == 0
    assert rows.count() == 2


def test_the_day_reminder_and_far_or_closed_commitments(nina):
    _due_in(0)
    _due_in(30)
    _due_in(2, status=S.DONE)
    _due_in(2, responsible=None, responsible_text="La comunidad")
    assert reminders.commitment_reminders_write() == 1
    assert ":reminder:0d:" in Notification.objects.get(kind="commitment_reminder").key


def test_an_overdue_commitment_becomes_vencido_with_a_note_and_is_reminded_once(nina):
    commitment = _due_in(-1, status=S.IN_PROGRESS)
    assert reminders.commitment_reminders_write() == 1
    commitment.refresh_from_db()
    assert commitment.status == S.OVERDUE
    last = commitment.progress.order_by("-id").first()
    assert (last.from_status, last.to_status, last.actor) == (S.IN_PROGRESS, S.OVERDUE, None)
    assert "Vencido automáticamente" in last.note
    assert ":reminder:overdue:" in Notification.objects.get(kind="commitment_reminder").key
    assert reminders.commitment_reminders_write() == 0
    assert commitment.progress.count() == 2  # no second automatic note
    assert Activity.objects.filter(kind="commitment.status").count() == 1


def test_a_new_due_date_reminds_again(nina):
    commitment = _due_in(3)
    reminders.commitment_reminders_write()
    services.commitment_update_status(user=nina, commitment=commitment, status=S.PENDING, note="Nueva fecha.",
                                      due_on=timezone.localdate() + timedelta(days=6))
    assert reminders.commitment_reminders_write() == 1
    assert Notification.objects.filter(kind="commitment_reminder").count() == 2


def test_long_overdue_commitments_are_marked_but_not_emailed(nina):
    commitment = _due_in(-400)
    assert reminders.commitment_reminders_write() == 0
    commitment.refresh_from_db()
    assert commitment.status == S.OVERDUE


def test_a_new_future_date_takes_a_commitment_out_of_vencido(nina):
    commitment = _due_in(-2, status=S.OVERDUE)
    later = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ValidationError, match="no está vencido"):
        services.commitment_update_status(user=nina, commitment=commitment, status=S.OVERDUE, note="Prórroga.",
                                          due_on=later)
    services.commitment_update_status(user=nina, commitment=commitment, status=S.IN_PROGRESS, note="Prórroga.",
                                      due_on=later)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.due_on) == (S.IN_PROGRESS, later)


def test_activity_rebuild_writes_the_same_rows_and_skips_the_reference_ones(carla):
    from apps.core.management.commands.activity_rebuild import activity_rebuild

    commitment = services.commitment_create(user=carla, text="Actualizar el PBOT", responsible=org("25290"),
                                            municipality=Municipality.objects.get(code="25290"))
    services.commitment_update_status(user=carla, commitment=commitment, status=S.DONE, note="Aprobado.")
    CommitmentFactory(workshop=WorkshopFactory(), municipality=None, department=None)  # reference: no activity
    written = sorted(Activity.objects.values_list("key", "kind", "occurred_at"))
    Activity.objects.all().delete()
    activity_rebuild()
    assert sorted(Activity.objects.filter(key__startswith="commitment:")
                  .values_list("key", "kind", "occurred_at")) == written
    assert activity_rebuild() == 0
