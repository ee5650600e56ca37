"""Figures are cached until anything they read is written (PostgreSQL), and always computed elsewhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.agenda.models import Event
from apps.monitoring.indicators import Filters, indicators_compute
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.monitoring import indicator_data as data


def realised() -> float:
    (indicator,) = indicators_compute(user=None, filters=Filters(), by="department", codes=["events_per_provider"])
    return indicator.numerator


def satisfaction() -> float:
    (indicator,) = indicators_compute(user=None, filters=Filters(), by=None, codes=["satisfaction"])
    return indicator.value


@pytest.mark.django_db(transaction=True)
def test_the_figures_are_read_again_only_after_a_write(reference_data, settings):
    settings.MONITORING_INDICATORS_CACHE_SECONDS = 120
    event = EventFactory(status=Event.Status.DONE)
    submission = data.answer(data.invitation(event, municipality=Municipality.objects.get(code="25290")),
                             {"satisfaction": 4})
    assert realised() == 1
    with CaptureQueriesContext(connection) as queries:
        assert realised() == 1
    cached = connection.vendor == "postgresql"
    # Cached: the data version only; else national, by department, labels, 2021 baseline.
    assert len(queries) == (1 if cached else 4)

    # Writes of every kind move the version: a new row, an UPDATE that bypasses save(), an answer.
    EventFactory(status=Event.Status.DONE, municipalities=["05001"])
    assert realised() == 2
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    assert realised() == 1
    assert satisfaction() == 4.0
    submission.answers.update(number=2)
    assert satisfaction() == 2.0


@pytest.mark.django_db(transaction=True)
def test_nothing_is_cached_when_the_setting_is_zero(reference_data, settings):
    settings.MONITORING_INDICATORS_CACHE_SECONDS = 0
    EventFactory(status=Event.Status.DONE)
    realised()
    with CaptureQueriesContext(connection) as queries:
        assert realised() == 1
    assert len(queries) > 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the cache exists on PostgreSQL only")
def test_figures_computed_while_another_transaction_writes_are_not_stored(reference_data, settings):
    from django.db import connections

    settings.MONITORING_INDICATORS_CACHE_SECONDS = 120
    event = EventFactory(status=Event.Status.DONE)
    writer = connections.create_connection("default")
    try:
        writer.set_autocommit(False)
        with writer.cursor() as cursor:  # moves the version now; its change is seen only at commit
            cursor.execute("UPDATE agenda_event SET status = 'cancelada' WHERE id = %s", [event.pk])
        assert realised() == 1  # computed on the committed data, and not stored under the new version
        writer.commit()
    finally:
        writer.close()
    assert realised() == 0
