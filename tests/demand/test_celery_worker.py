"""A real Celery worker on Redis claims a notification row and e-mails it, once.

Runs when REDIS_URL is set (the PostgreSQL/Redis pass of `.ci/run`, which sets REQUIRE_REDIS=1 so
that it cannot be skipped there).
"""

import os
import selectors
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from apps.demand.models import Notification
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


def test_a_real_worker_emails_a_notification_row_once(alice):
    if not settings.REDIS_URL:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL is not set: the real-worker test runs in .ci/run's PostgreSQL/Redis pass")
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite test database cannot be shared with a worker process")
    from apps.demand.tasks import notification_send

    notice = Notification.objects.create(recipient=alice, need=NeedFactory(), kind="status",
                                         text="Solicitud de prueba: ahora está en revisión.")
    queue = f"test-demand-{uuid.uuid4().hex}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO"],
        env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "DATABASE_URL": _database_url(),
             "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend", "CELERY_TASK_LOG_LEVEL": "INFO"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        notification_send.apply_async(args=[notice.pk], queue=queue)
        notification_send.apply_async(args=[notice.pk], queue=queue)  # a duplicate delivery
        # Both tasks finish: the first claims the row and prints the e-mail, the second finds it taken.
        output = _read_until(worker, "succeeded in", times=2, timeout=90)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert output.count(f"To: {alice.email}") == 1
    assert "Solicitud de prueba: ahora está en revisión." in output
    assert "True" in output and "False" in output
