"""The demo follow-ups: after the agenda's demo, answered follow-ups with a measured capacity change,
a pending one with its reminder, a draft need from "more help"; nothing e-mailed; idempotent."""

import pytest
from django.core import mail

from apps.accounts.demo import load as load_people
from apps.agenda.demo import load as load_agenda
from apps.core.models import Activity, Notification
from apps.demand.demo import load as load_needs
from apps.demand.models import Status as NeedStatus
from apps.monitoring.demo import load
from apps.monitoring.models import Audience, Invitation
from apps.offer.demo import load as load_offer

pytestmark = pytest.mark.django_db


def test_the_demo_has_answers_a_capacity_change_and_a_pending_reminder(django_capture_on_commit_callbacks):
    load_people()
    load_offer()
    load_needs()
    with django_capture_on_commit_callbacks(execute=True):
        load_agenda()
        assert load()
    answered = Invitation.objects.filter(answered_at__isnull=False)
    assert {i.audience for i in answered} == {Audience.TERRITORY, Audience.PROVIDER, Audience.CAPACITY_BEFORE,
                                              Audience.CAPACITY_AFTER}
    changes = {(a.municipality.code, a.data["capacity"]): a.data["change"]
               for a in Activity.objects.filter(kind="capacity.measured")}
    assert changes and all(code == "25001" for code, _capacity in changes) and sum(changes.values()) > 0
    pending = Invitation.objects.get(audience=Audience.TERRITORY, email="concejo@fusagasuga.gov.co")
    assert pending.answered_at is None and pending.reminders_sent >= 1
    laura = Invitation.objects.get(audience=Audience.TERRITORY, email="secplaneacion@fusagasuga.gov.co")
    assert laura.opened_need is not None and laura.opened_need.status == NeedStatus.DRAFT
    assert not Notification.objects.filter(sent_at=None).exists()
    assert mail.outbox == []  # demo notices are not e-mailed
    count = Invitation.objects.count()
    assert load() == []
    assert Invitation.objects.count() == count
