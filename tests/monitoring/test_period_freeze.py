"""A coordinator freezes a published period: its figures stay as they were, whatever is edited later."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.agenda.models import AgendaPeriod, Event
from apps.monitoring.indicators import CODES, Filters, indicators_compute
from apps.monitoring.models import FrozenPeriod
from apps.monitoring.services import period_freeze
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.monitoring import indicator_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    period = AgendaPeriod.objects.create(name="2027-T1", starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31),
                                         status=AgendaPeriod.Status.PUBLISHED)
    AgendaPeriod.objects.filter(pk=period.pk).update(published_at=timezone.now())
    period.refresh_from_db()
    return period


def figures(period, by="department", **filters):
    return {i.code: (i.value, i.numerator, i.denominator, i.breakdown, i.frozen)
            for i in indicators_compute(user=None, filters=Filters(period=period, **filters), by=by)}


def test_a_frozen_period_keeps_its_figures_after_events_and_answers_change(carla, period):
    fusa = Municipality.objects.get(code="25290")
    event = EventFactory(status=Event.Status.DONE, period=period)
    EventFactory(status=Event.Status.CONFIRMED, period=period)
    submission = data.answer(data.invitation(event, municipality=fusa), {"satisfaction": 5})
    data.capacity(event, fusa, "planeacion", before=2, after=4)
    before = figures(period)
    assert before["satisfaction"][0] == 5.0 and before["capacity_change"][0] == 2.0
    assert before["joint_missions"][2] == 1

    frozen = period_freeze(user=carla, period=period)

    # Later: the event is cancelled, another is added and realised, an answer changes.
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    EventFactory(status=Event.Status.DONE, period=period, providers=["MinVivienda", "ANM"])
    submission.answers.update(number=1)
    live = figures(period, department="25")  # another filter than the period: computed now
    assert live["satisfaction"][0] == 1.0 and live["joint_missions"][1:3] == (1, 1)
    assert not any(value[4] for value in live.values())  # and they say they are not the frozen ones

    after = figures(period)
    assert {code: value[:4] for code, value in after.items()} == {code: value[:4] for code, value in before.items()}
    assert all(value[4] for value in after.values())
    (indicator,) = indicators_compute(user=None, filters=Filters(period=period), by="provider", codes=["coverage"])
    assert indicator.frozen and indicator.frozen_at == frozen.closed_at and indicator.by == "provider"
    assert set(frozen.figures["by"]) == {"None", "department", "category", "sector", "provider", "capacity"}
    assert [i["code"] for i in frozen.figures["by"]["department"]] == list(CODES)


def test_freezing_twice_keeps_the_first_figures(carla, period):
    EventFactory(status=Event.Status.DONE, period=period)
    first = period_freeze(user=carla, period=period)
    EventFactory(status=Event.Status.DONE, period=period)
    second = period_freeze(user=carla, period=period)
    assert second.pk == first.pk and FrozenPeriod.objects.count() == 1
    assert second.figures == first.figures
    (indicator,) = indicators_compute(user=None, filters=Filters(period=period), by=None,
                                      codes=["events_per_provider"])
    assert indicator.numerator == 1


def test_only_a_coordinator_freezes_and_only_a_published_or_closed_period(alice, dora, carla, period):
    for person in (alice, dora):
        with pytest.raises(PermissionDenied):
            period_freeze(user=person, period=period)
    open_period = AgendaPeriod.objects.create(name="2027-T2", starts_on=date(2027, 4, 1), ends_on=date(2027, 6, 30))
    with pytest.raises(ValidationError):
        period_freeze(user=carla, period=open_period)
    assert not FrozenPeriod.objects.exists()
