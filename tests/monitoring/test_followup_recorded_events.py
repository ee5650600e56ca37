"""An event recorded as realised after the fact ("Ya se realizó") gets the follow-ups of a realised
event, dated from its end, never the "before" self-assessment, and only once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.agenda import services as agenda_services
from apps.agenda.models import Event
from apps.core.models import Notification
from apps.monitoring.models import Audience, Invitation
from apps.monitoring.services import followups_on_event_recorded, followups_send_due
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory
from tests.factories import org

pytestmark = pytest.mark.django_db


def _record(user, *, days_ago: int, **extra) -> Event:
    start = timezone.now() - timedelta(days=days_ago)
    return agenda_services.event_create(user=user, confirm_non_working_day=True, data={
        "title": "Inducción a concejales", "kind": Event.Kind.WORKSHOP, "starts_at": start,
        "ends_at": start + timedelta(hours=4), "modality": "presencial", "recorded_after_the_fact": True,
        "providers": [org("MinVivienda")], "municipalities": [Municipality.objects.get(code="25290")],
        "attendees": [{"name": "Laura Méndez", "email": "laura@fusagasuga.gov.co", "organization": org("25290")},
                      {"name": "Rosa Vecina", "email": "vecina@example.co"},
                      {"name": "Iván Ingeniero", "email": "ingeniero@minvivienda.gov.co",
                       "organization": org("MinVivienda")}],
        **extra})


def _invitations(event) -> dict[tuple[str, str], Invitation]:
    return {(i.audience, i.email): i for i in Invitation.objects.filter(event=event)}


def test_recording_a_past_event_invites_as_if_it_was_realised_without_the_before(carla, nina):
    event = _record(carla, days_ago=20, responsible=[nina],
                    needs=[NeedFactory(capacity="planeacion", topic="Acueducto veredal")])
    invitations = _invitations(event)
    assert set(invitations) == {
        (Audience.TERRITORY, "laura@fusagasuga.gov.co"), (Audience.TERRITORY, "vecina@example.co"),
        (Audience.PROVIDER, "ingeniero@minvivienda.gov.co"), (Audience.PROVIDER, nina.email),
        (Audience.CAPACITY_AFTER, "laura@fusagasuga.gov.co"), (Audience.CAPACITY_AFTER, "vecina@example.co"),
    }
    # Dated from the event's end, not from the record: "after" is still ~90 days after the event.
    laura = invitations[(Audience.TERRITORY, "laura@fusagasuga.gov.co")]
    after = invitations[(Audience.CAPACITY_AFTER, "laura@fusagasuga.gov.co")]
    assert (laura.send_at, after.send_at) == (event.ends_at, event.ends_at + timedelta(days=90))
    assert after.capacities == ["planeacion"] and laura.municipality.code == "25290"
    assert all(i.sent_at is None for i in invitations.values())
    # The beat sweep e-mails the due ones; the "after" waits for its day.
    assert followups_send_due() == {"sent": 4, "reminded": 0}
    laura.refresh_from_db()
    assert laura.sent_at is not None
    assert Notification.objects.filter(key=f"followup:{laura.pk}:invite", email="laura@fusagasuga.gov.co").exists()
    assert Invitation.objects.get(pk=after.pk).sent_at is None


def test_an_event_recorded_more_than_90_days_later_gets_its_after_assessment_at_once(carla):
    event = _record(carla, days_ago=120)
    after = Invitation.objects.get(event=event, audience=Audience.CAPACITY_AFTER, email="vecina@example.co")
    assert after.send_at < timezone.now()
    followups_send_due()
    after.refresh_from_db()
    assert after.sent_at is not None and after.capacities  # all capacities: the event answered no need


def test_recording_again_writes_nothing_new(carla):
    event = _record(carla, days_ago=10)
    followups_send_due()
    rows, notices = Invitation.objects.count(), Notification.objects.count()
    assert followups_on_event_recorded(event=event) == 0
    assert (Invitation.objects.count(), Notification.objects.count()) == (rows, notices)


def test_the_event_form_records_a_past_event_with_its_follow_ups(client_as, carla):
    day = timezone.localdate() - timedelta(days=15)
    response = client_as(carla).post("/agenda/jornadas/nueva/", {
        "title": "Taller ya realizado", "kind": "taller", "day": day.isoformat(), "start_time": "08:00",
        "end_time": "12:00", "end_day": "", "modality": "presencial", "place": "Alcaldía", "video_url": "",
        "description": "", "attendees": "Rosa Pérez, rosa@fusagasuga.gov.co, Alcaldía de Fusagasugá",
        "recorded_after_the_fact": "on", "providers": [org("ESAP").pk],
        "territorio-TOTAL_FORMS": "1", "territorio-INITIAL_FORMS": "0", "territorio-MIN_NUM_FORMS": "0",
        "territorio-MAX_NUM_FORMS": "10", "territorio-0-department": "25",
        "territorio-0-municipality_name": "fusagasuga"})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == Event.Status.DONE
    assert set(_invitations(event)) == {(Audience.TERRITORY, "rosa@fusagasuga.gov.co"),
                                        (Audience.CAPACITY_AFTER, "rosa@fusagasuga.gov.co")}


def test_an_event_on_the_agenda_is_realised_by_completing_it_not_by_editing_it(carla):
    event = EventFactory(status=Event.Status.PROPOSED, municipalities=["25290"])
    with pytest.raises(ValidationError) as error:
        agenda_services.event_update(user=carla, event=event, data={"recorded_after_the_fact": True})
    assert "Marcar como realizada" in error.value.message_dict["recorded_after_the_fact"][0]
    event.refresh_from_db()
    assert (event.status, event.recorded_after_the_fact) == (Event.Status.PROPOSED, False)
