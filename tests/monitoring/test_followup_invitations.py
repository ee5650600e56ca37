"""Who gets which follow-up when an event is confirmed and when it is realised (through the agenda's
own transition service), written once however often it runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.agenda.services import event_transition
from apps.core.models import Notification
from apps.monitoring.models import Audience, Invitation
from apps.monitoring.services import followups_on_event_done
from tests.agenda.factories import EventFactory
from tests.factories import org
from tests.monitoring.followup_helpers import confirmed_event

pytestmark = pytest.mark.django_db


def _by_audience(event) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for inv in Invitation.objects.filter(event=event):
        out.setdefault(inv.audience, set()).add(inv.email)
    return out


def test_it_asks_the_territory_before_when_a_coordinator_confirms(carla):
    event = confirmed_event()
    event.status = event.Status.PROPOSED
    event.save(update_fields=["status"])
    event_transition(user=carla, event=event, action="confirm")
    invitations = Invitation.objects.filter(event=event)
    assert {(i.audience, i.email) for i in invitations} == {
        (Audience.CAPACITY_BEFORE, "laura@fusagasuga.gov.co"), (Audience.CAPACITY_BEFORE, "vecina@example.co")}
    laura = invitations.get(email="laura@fusagasuga.gov.co")
    assert laura.capacities == ["planeacion"]
    assert laura.municipality.code == "25290" and laura.department.code == "25"
    assert laura.sent_at is not None  # due at once: e-mailed in the same transaction
    assert Notification.objects.filter(key=f"followup:{laura.pk}:invite", email="laura@fusagasuga.gov.co").exists()


def test_it_asks_everyone_concerned_when_the_event_is_realised(carla, nina):
    event = confirmed_event()
    event.responsible.add(nina)
    event_transition(user=carla, event=event, action="complete")
    assert _by_audience(event) == {
        Audience.TERRITORY: {"laura@fusagasuga.gov.co", "vecina@example.co"},
        Audience.PROVIDER: {"ingeniero@minvivienda.gov.co", nina.email},
        Audience.CAPACITY_AFTER: {"laura@fusagasuga.gov.co", "vecina@example.co"},
    }
    now = timezone.now()
    after = Invitation.objects.get(event=event, audience=Audience.CAPACITY_AFTER, email="vecina@example.co")
    assert after.sent_at is None and timedelta(days=89) < after.send_at - now <= timedelta(days=90)
    assert after.municipality.code == "25290"  # no organisation: the event's single municipality
    territory = Invitation.objects.filter(event=event, audience=Audience.TERRITORY)
    assert all(i.sent_at and i.expires_at - i.sent_at == timedelta(days=30) for i in territory)
    provider = Invitation.objects.get(event=event, audience=Audience.PROVIDER, email=nina.email)
    assert provider.user == nina and provider.organization == org("MinVivienda")
    # A person of the platform gets the notice in "Avisos" too; an attendee by e-mail.
    assert Notification.objects.filter(key=f"followup:{provider.pk}:invite", recipient=nina).exists()


def test_running_it_again_writes_nothing_new(carla):
    event = confirmed_event()
    event_transition(user=carla, event=event, action="complete")
    rows, notices = Invitation.objects.count(), Notification.objects.count()
    assert followups_on_event_done(event=event) == 0
    assert (Invitation.objects.count(), Notification.objects.count()) == (rows, notices)


def test_without_territorial_attendees_the_territory_editors_assess_capacities(carla, alice, dora, bob):
    event = confirmed_event(people={"ingeniero@minvivienda.gov.co": ("Iván", "MinVivienda")}, capacities=())
    event.departments.add(org("25").department)
    event.status = event.Status.PROPOSED
    event.save(update_fields=["status"])
    event_transition(user=carla, event=event, action="confirm")
    before = {i.email: i for i in Invitation.objects.filter(event=event, audience=Audience.CAPACITY_BEFORE)}
    assert set(before) == {alice.email, dora.email}  # not bob (Medellín)
    assert before[alice.email].municipality.code == "25290"
    assert before[dora.email].municipality is None and before[dora.email].department.code == "25"
    # The event's needs named no capacity: all of them are asked.
    assert before[alice.email].capacities == ["planeacion", "gestion", "ejecucion", "organizacional", "tecnica"]


def test_a_department_attendee_speaks_for_the_department_and_a_multi_municipality_event_leaves_it_open(carla):
    event = confirmed_event(people={"dora2@cundinamarca.gov.co": ("Dora", "25"), "x@example.co": ("X", None)},
                            municipalities=("25290", "05001"))
    event_transition(user=carla, event=event, action="complete")
    rows = {i.email: i for i in Invitation.objects.filter(event=event, audience=Audience.TERRITORY)}
    assert rows["dora2@cundinamarca.gov.co"].department.code == "25"
    assert rows["dora2@cundinamarca.gov.co"].municipality is None
    assert rows["x@example.co"].municipality is None and rows["x@example.co"].department is None


def test_a_cancelled_or_proposed_event_asks_nobody(carla):
    event = EventFactory()
    event_transition(user=carla, event=event, action="cancel", reason="Sin presupuesto")
    assert not Invitation.objects.exists()
