"""The beat sweep: invitations due later (three months after) are e-mailed when due; reminders go
at 3 and 7 days to those who have not answered, never to those who have, never after expiry, each
written once however often the sweep runs (time is passed in, not waited for)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.agenda.services import event_transition
from apps.core.models import Notification
from apps.monitoring.models import Audience, FollowUpTemplate, Invitation
from apps.monitoring.services import followup_answer, followups_send_due
from apps.monitoring.tasks import followups_due
from tests.monitoring.followup_helpers import confirmed_event

pytestmark = pytest.mark.django_db

GOOD = {"T01": 4, "T02": 5, "T03": 3, "T04": 4, "T05": 5, "T06": "Sí", "T07": "No"}


@pytest.fixture
def realised(carla):
    event = confirmed_event()
    event_transition(user=carla, event=event, action="complete")
    return event


def _reminders(invitation) -> list[str]:
    return sorted(Notification.objects.filter(key__startswith=f"followup:{invitation.pk}:reminder:")
                  .values_list("key", flat=True))


def test_reminders_at_3_and_7_days_skip_who_answered(realised):
    laura = Invitation.objects.get(event=realised, audience=Audience.TERRITORY, email="laura@fusagasuga.gov.co")
    rosa = Invitation.objects.get(event=realised, audience=Audience.TERRITORY, email="vecina@example.co")
    sent = laura.sent_at
    assert followup_answer(invitation=laura, answers=GOOD) is not None

    assert followups_send_due(now=sent + timedelta(days=2, hours=23)) == {"sent": 0, "reminded": 0}
    assert _reminders(rosa) == []
    day3 = followups_send_due(now=sent + timedelta(days=3, minutes=1))
    assert _reminders(rosa) == [f"followup:{rosa.pk}:reminder:1"]
    assert _reminders(laura) == []
    # The sweep runs again every few minutes: nothing new.
    assert followups_send_due(now=sent + timedelta(days=3, minutes=6))["reminded"] == 0
    followups_send_due(now=sent + timedelta(days=7, minutes=1))
    assert _reminders(rosa) == [f"followup:{rosa.pk}:reminder:1", f"followup:{rosa.pk}:reminder:2"]
    assert _reminders(laura) == []
    # Everyone unanswered who was e-mailed got the 3-day reminder (the entity's engineer too).
    assert day3["reminded"] == Invitation.objects.filter(event=realised, sent_at__isnull=False).count() - 1
    reminder = Notification.objects.get(key=f"followup:{rosa.pk}:reminder:1")
    assert reminder.email == "vecina@example.co" and reminder.subject.startswith("Recordatorio:")
    assert reminder.link == Notification.objects.get(key=f"followup:{rosa.pk}:invite").link
    rosa.refresh_from_db()
    assert rosa.reminders_sent == 2


def test_a_late_sweep_sends_one_reminder_not_two(realised):
    rosa = Invitation.objects.get(event=realised, audience=Audience.TERRITORY, email="vecina@example.co")
    followups_send_due(now=rosa.sent_at + timedelta(days=8))
    assert _reminders(rosa) == [f"followup:{rosa.pk}:reminder:2"]
    followups_send_due(now=rosa.sent_at + timedelta(days=9))
    assert _reminders(rosa) == [f"followup:{rosa.pk}:reminder:2"]


def test_no_reminder_after_expiry(realised):
    FollowUpTemplate.objects.filter(audience=Audience.TERRITORY).update(reminder_days=[3, 40])
    rosa = Invitation.objects.get(event=realised, audience=Audience.TERRITORY, email="vecina@example.co")
    followups_send_due(now=rosa.sent_at + timedelta(days=41))  # the link expired at 30 days
    assert _reminders(rosa) == []


def test_the_after_assessment_is_e_mailed_three_months_later(realised):
    after = Invitation.objects.filter(event=realised, audience=Audience.CAPACITY_AFTER)
    assert after.count() == 2 and not after.filter(sent_at__isnull=False).exists()
    due = after.first().send_at
    assert followups_send_due(now=due - timedelta(minutes=1))["sent"] == 0
    result = followups_send_due(now=due + timedelta(minutes=1))
    assert result["sent"] == 2
    assert Notification.objects.filter(kind="followup.invite", key__in=[f"followup:{i.pk}:invite" for i in after]
                                       ).count() == 2
    assert followups_send_due(now=due + timedelta(minutes=6))["sent"] == 0
    for inv in after.all():
        assert inv.expires_at - inv.sent_at == timedelta(days=30)


def test_an_inactive_template_sends_nothing(realised):
    FollowUpTemplate.objects.filter(audience=Audience.CAPACITY_AFTER).update(active=False)
    due = Invitation.objects.filter(audience=Audience.CAPACITY_AFTER).first().send_at
    assert followups_send_due(now=due + timedelta(days=1))["sent"] == 0


def test_the_beat_task_runs_the_sweep(realised):
    assert followups_due.delay().get() == {"sent": 0, "reminded": 0}


def test_the_sweep_is_in_the_beat_schedule(settings):
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["monitoring.followups_due"] <= 10 * 60


def test_the_before_link_expires_when_the_event_starts(carla):
    event = confirmed_event(started_days_ago=-5)  # in five days
    event.status = event.Status.PROPOSED
    event.save(update_fields=["status"])
    event_transition(user=carla, event=event, action="confirm")
    inv = Invitation.objects.filter(event=event, audience=Audience.CAPACITY_BEFORE).first()
    assert inv.expires_at == event.starts_at
    assert timezone.now() < inv.expires_at


@pytest.mark.parametrize("attendees", [1, 15])
def test_a_sweep_with_nothing_due_costs_three_queries_however_many_wait(carla, attendees,
                                                                        django_assert_num_queries):
    people = {f"p{i}@example.co": (f"P{i}", None) for i in range(attendees)}
    event = confirmed_event(people=people)
    event_transition(user=carla, event=event, action="complete")
    sent = Invitation.objects.filter(sent_at__isnull=False).first().sent_at
    # Due invitations; the templates; the invitations owing a reminder (the database filters them).
    with django_assert_num_queries(3):
        assert followups_send_due(now=sent + timedelta(days=1)) == {"sent": 0, "reminded": 0}
