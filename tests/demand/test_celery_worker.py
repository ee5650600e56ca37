"""A real Celery worker on Redis e-mails, once, the outbox row a status change writes.

Runs when REDIS_URL is set (the PostgreSQL/Redis pass of `.ci/run`, which sets REQUIRE_REDIS=1 so
that it cannot be skipped there).
"""

import os
import selectors
import subprocess
import sys
import time
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

from apps.core.models import Notification
from apps.core.tasks import outbox_deliver
from apps.demand import services
from tests.demand.factories import NeedFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    """The test database, for the worker process to read the same rows."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _read_until(worker: subprocess.Popen, needle: str, times: int, timeout: float) -> str:
    """Worker output up to the `times`-th line containing `needle`."""
    seen, found, deadline = [], 0, time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(worker.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            line = worker.stdout.readline()
            if not line:
                break
            seen.append(line)
            found += needle in line
            if found == times:
                return "".join(seen)
    raise AssertionError(f"the worker did not print {needle!r} {times} times in {timeout} s:\n{''.join(seen)}")


def test_a_real_worker_emails_the_notice_of_a_status_change_once(reference_data, alice, carla):
    if not settings.REDIS_URL:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL is not set: the real-worker test runs in .ci/run's PostgreSQL/Redis pass")
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite test database cannot be shared with a worker process")

    queue = f"test-demand-{uuid.uuid4().hex}"
    need = NeedFactory(topic="Solicitud de prueba")
    # The application queues on the default queue; this worker listens on its own.
    with mock.patch.object(outbox_deliver, "delay",
                           side_effect=lambda pk: outbox_deliver.apply_async(args=[pk], queue=queue)):
        services.need_transition(user=carla, need=need, action="review")
    notice = Notification.objects.get(recipient=alice)
    outbox_deliver.apply_async(args=[notice.pk], queue=queue)  # a duplicate delivery
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO"],
        env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "DATABASE_URL": _database_url(),
             "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend", "CELERY_TASK_LOG_LEVEL": "INFO"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        # Both tasks finish: the first claims the row and prints the e-mail, the second finds it sent.
        output = _read_until(worker, "succeeded in", times=2, timeout=90)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 1
    assert output.count(f"To: {alice.email}") == 1
    assert "Solicitud de prueba" in output and "ahora está en revisión" in output
    assert "True" in output and "False" in output
