"""The demo commitments: from the realised jornada (one done, one overdue, one falling due) and a
2021 workshop's, loaded after the agenda; no e-mail sent; loading again adds nothing."""

import pytest
from django.core import mail

from apps.accounts.demo import load as load_people
from apps.agenda.demo import load as load_agenda
from apps.core.models import Notification
from apps.demand.demo import load as load_needs
from apps.knowledge.demo_commitments import load
from apps.knowledge.models import Commitment
from apps.offer.demo import load as load_offer

pytestmark = pytest.mark.django_db
S = Commitment.Status


def test_the_demo_commitments_and_their_reminder(django_capture_on_commit_callbacks):
    from apps.knowledge.reference import load_workshops

    load_workshops()
    load_people()
    load_offer()
    load_needs()
    load_agenda()
    with django_capture_on_commit_callbacks(execute=True):
        assert load()
    from_event = Commitment.objects.filter(event__isnull=False)
    assert sorted(from_event.values_list("status", flat=True)) == sorted([S.DONE, S.OVERDUE, S.PENDING])
    assert Commitment.objects.filter(workshop__isnull=False, status=S.IN_PROGRESS).count() == 1
    reminders = Notification.objects.filter(kind="commitment_reminder")
    assert {key.split(":")[4] for key in reminders.values_list("key", flat=True)} == {"7d", "overdue"}
    assert not reminders.filter(sent_at=None).exists()
    assert mail.outbox == []  # demo notices are not e-mailed
    count = Commitment.objects.count()
    assert load() == []
    assert Commitment.objects.count() == count
