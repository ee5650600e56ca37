"""Two quick submits of the same new practice publish it once: `practice_create` locks the author's
organisation row before looking for the twin, so the second request waits for the first."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.models import QuerySet

from apps.knowledge import services_practices as services
from apps.knowledge.models import Practice
from tests.knowledge.test_practices import _data


@pytest.mark.django_db
def test_the_organisation_row_is_locked_before_the_twin_look_up(alice, monkeypatch):
    """SQLite has one writer at a time (no race there), so check the lock is asked for, and first."""
    order: list[str] = []
    select_for_update, filter_ = QuerySet.select_for_update, QuerySet.filter

    def spy_lock(self, *args, **kwargs):
        order.append(f"lock:{self.model.__name__}")
        return select_for_update(self, *args, **kwargs)

    def spy_filter(self, *args, **kwargs):
        if self.model is Practice and "created_by" in kwargs:
            order.append("twin")
        return filter_(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy_lock)
    monkeypatch.setattr(QuerySet, "filter", spy_filter)
    services.practice_create(user=alice, data=_data())
    assert "lock:Organization" in order and "twin" in order
    assert order.index("lock:Organization") < order.index("twin")


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL (CI's second pass): SQLite lets one writer "
                                                     "at a time, so two requests never race there")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_publish_one_practice_on_postgresql():
    from apps.territory.reference import load_reference_data
    from tests.factories import UserFactory, org

    load_reference_data()  # an earlier transactional test may have flushed it
    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    barrier, results, errors = threading.Barrier(2), [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(services.practice_create(user=alice, data=_data()).pk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and len(results) == 2 and len(set(results)) == 1
    assert Practice.objects.count() == 1
    assert connection.vendor == "postgresql"
