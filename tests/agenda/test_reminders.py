"""Reminders and the weekly digest: outbox rows, once per key, for the right people."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.agenda import reminders, services
from apps.agenda.models import Status
from apps.agenda.tasks import reminders_due, weekly_digest
from apps.core.models import Notification
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory

pytestmark = pytest.mark.django_db


def _confirmed_in(delta: timedelta, **fields):
    start = timezone.now() + delta
    event = EventFactory(status=Status.CONFIRMED, starts_at=start, ends_at=start + timedelta(hours=3), **fields)
    event.attendees.create(name="Ana", email="ana@fusagasuga.gov.co")
    return event


def test_the_seven_day_reminder_goes_to_attendees_and_providers_once(nina, nico):
    event = _confirmed_in(timedelta(days=6, hours=12))
    assert reminders.reminders_write() == 2
    rows = Notification.objects.filter(kind="agenda_reminder")
    assert sorted(r.address for r in rows) == ["ana@fusagasuga.gov.co", nina.email]
    assert all(f"agenda:event:{event.pk}:reminder:7d:" in r.key for r in rows)
    assert "es en una semana" in rows[0].subject
    assert reminders.reminders_write() == 0  # a retried or repeated run writes nothing new
    assert rows.count() == 2


def test_the_one_day_reminder_follows_and_far_events_wait():
    _confirmed_in(timedelta(days=12))
    _confirmed_in(timedelta(hours=20))
    assert reminders.reminders_write() == 1
    assert ":reminder:1d:" in Notification.objects.get(kind="agenda_reminder").key


def test_only_confirmed_events_are_reminded():
    start = timezone.now() + timedelta(days=3)
    EventFactory(starts_at=start, ends_at=start + timedelta(hours=2)).attendees.create(name="A", email="a@x.co")
    assert reminders.reminders_write() == 0


def test_a_rescheduled_event_is_reminded_again_for_its_new_date(carla):
    event = _confirmed_in(timedelta(days=5))
    reminders.reminders_write()
    first = Notification.objects.filter(kind="agenda_reminder").count()
    new = event.starts_at + timedelta(days=1)
    services.event_transition(user=carla, event=event, action="reschedule", reason="Lluvias",
                              starts_at=new, ends_at=new + timedelta(hours=2), confirm_non_working_day=True)
    services.event_transition(user=carla, event=event, action="confirm")
    reminders.reminders_write()
    assert Notification.objects.filter(kind="agenda_reminder").count() == 2 * first


def test_the_task_writes_rows_and_the_outbox_emails_each_once(django_capture_on_commit_callbacks):
    _confirmed_in(timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_due.delay()
    assert [m.to for m in mail.outbox] == [["ana@fusagasuga.gov.co"]]
    assert "es en una semana" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        reminders_due.delay()
    assert len(mail.outbox) == 1


def test_the_weekly_digest_lists_conflicts_and_waiting_needs(carla):
    EventFactory(starts_at=timezone.now() + timedelta(days=3), ends_at=timezone.now() + timedelta(days=3, hours=2))
    EventFactory(providers=["ANM"], starts_at=timezone.now() + timedelta(days=4),
                 ends_at=timezone.now() + timedelta(days=4, hours=2))
    NeedFactory(topic="Catastro rural", submitted_at=timezone.now() - timedelta(days=90))
    assert weekly_digest.delay().get() == 1
    notice = Notification.objects.get(kind="agenda_digest")
    assert notice.recipient == carla
    assert "Cruces por revisar: 1" in notice.text
    assert "Catastro rural" in notice.text
    assert "Jornadas sin asistentes registrados: 2" in notice.text
    weekly_digest.delay()
    assert Notification.objects.filter(kind="agenda_digest").count() == 1
