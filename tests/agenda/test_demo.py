"""The demo agenda: a believable quarter, loaded after people, offer and demand."""

import pytest
from django.core import mail

from apps.accounts.demo import load as load_people
from apps.agenda import selectors
from apps.agenda.demo import load
from apps.agenda.models import AgendaPeriod, Event, Status
from apps.demand.demo import load as load_needs
from apps.demand.models import Status as NeedStatus
from apps.offer.demo import load as load_offer

pytestmark = pytest.mark.django_db


def test_the_demo_agenda_has_what_the_issue_asks_for_and_is_idempotent(carla, django_capture_on_commit_callbacks):
    load_people()
    load_offer()
    load_needs()
    # The deliveries queued on commit run here: none may find an unsent demo notice to e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert load()
    events = Event.objects.all()
    assert events.filter(status=Status.DONE).count() == 1
    assert any(e.is_joint for e in events.prefetch_related("providers"))
    departments = {m.department_id for e in events.prefetch_related("municipalities") for m in e.municipalities.all()}
    assert len(departments) >= 5
    assert len({o.pk for e in events.prefetch_related("providers") for o in e.providers.all()}) >= 6
    (conflict,) = selectors.conflict_groups(user=carla)
    assert conflict.territory.display_name == "Medellín"
    assert selectors.trip_suggestions(user=carla)
    scheduled = Event.objects.get(title__startswith="Misión conjunta").needs.get()
    assert scheduled.status == NeedStatus.SCHEDULED
    assert AgendaPeriod.objects.filter(status=AgendaPeriod.Status.PUBLISHED).count() == 1
    assert mail.outbox == []  # demo notices are not e-mailed
    count = events.count()
    assert load() == []
    assert Event.objects.count() == count
