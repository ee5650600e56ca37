"""Real Celery workers on Redis: one runs a task sent by the application; others, killed mid-run
several times, lose no outbox notice and put none twice in an inbox (a resend after a kill carries
the same Message-ID, so it is the same message).

Runs when REDIS_URL is set (the PostgreSQL/Redis pass of `.ci/run`, which sets REQUIRE_REDIS=1 so
that it cannot be skipped there).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

from apps.core import outbox
from apps.core.models import Notification
from apps.core.tasks import outbox_deliver, outbox_sweep

pytestmark = pytest.mark.celery_worker


@pytest.fixture
def redis_client():
    if not settings.REDIS_URL:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL is not set: the real-worker test runs in .ci/run's PostgreSQL/Redis pass")
    import redis

    # BLPOP waits up to 60 s for a worker that starts slowly on a busy machine: the socket must wait longer.
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=90)


def test_a_real_worker_runs_a_task_from_redis(redis_client):
    from apps.core.tasks import echo

    queue = f"test-{uuid.uuid4().hex}"
    key, token = f"{queue}:out", uuid.uuid4().hex
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"},
    )
    try:
        assert not settings.CELERY_TASK_ALWAYS_EAGER
        echo.apply_async(args=[key, token], queue=queue)
        popped = redis_client.blpop([key], timeout=60)
        assert popped is not None, "the worker did not run the task within 60 s"
        assert popped[1].decode() == token
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        redis_client.delete(key)


NOTICES = 72
KILLS = 3


def _database_url() -> str:
    """The test database, for the worker processes to read the same rows."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_killing_workers_mid_run_loses_no_notice_and_sends_none_twice(redis_client, tmp_path):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite test database cannot be shared with a worker process")
    queue = f"test-outbox-{uuid.uuid4().hex}"
    sent_file = tmp_path / "sent.tsv"
    with mock.patch("apps.core.outbox.queue"):  # queued below, on this test's own queue
        notices = [outbox.notify(key=f"kill-test:{i}", kind="test", subject=f"Aviso {i}", text="Aviso de prueba",
                                 link="/avisos/", email=f"persona{i}@example.co") for i in range(NOTICES)]
    for notice in notices:
        outbox_deliver.apply_async(args=[notice.pk], queue=queue)

    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "DATABASE_URL": _database_url(),
           "EMAIL_BACKEND": "tests.core.mail_recorder.RecordingBackend",
           "OUTBOX_TEST_MAIL_FILE": str(sent_file), "OUTBOX_TEST_MAIL_DELAY": "0.1",
           "OUTBOX_LEASE_SECONDS": "2", "OUTBOX_SWEEP_GRACE_SECONDS": "0"}

    def sent_lines() -> list[str]:
        return sent_file.read_text().splitlines() if sent_file.exists() else []

    def start_worker(n: int) -> subprocess.Popen:
        log = Path(tmp_path / f"worker-{n}.log").open("w")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", queue,
             "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )

    worker = None
    try:
        for n in range(KILLS):
            before = len(sent_lines())
            worker = start_worker(n)
            # Kill it just after an e-mail went out: most likely before the row is marked sent.
            _wait_for(lambda before=before: len(sent_lines()) >= before + 6, timeout=120,
                      what=f"worker {n} to send some e-mails")
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        assert Notification.objects.filter(sent_at=None).exists(), "the kills came too late to test anything"

        worker = start_worker(KILLS)
        last_sweep = 0.0

        def all_sent() -> bool:
            nonlocal last_sweep
            if time.monotonic() - last_sweep > 2:  # what beat does every minute, faster
                outbox_sweep.apply_async(queue=queue)
                last_sweep = time.monotonic()
            return not Notification.objects.filter(sent_at=None).exists()

        _wait_for(all_sent, timeout=180, what="the sweeps to send every notice")
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        redis_client.delete(queue)

    sent = [line.split("\t") for line in sent_lines()]
    expected = {outbox.message_id(n.key): n.email for n in notices}
    assert {message_id for message_id, _to in sent} == set(expected)  # every notice e-mailed
    assert all(expected[message_id] == to for message_id, to in sent)
    resent = sum(count - 1 for count in Counter(message_id for message_id, _to in sent).values())
    # A resend happens only for a row whose worker died between sending and marking it sent.
    assert resent <= KILLS
    assert not Notification.objects.filter(failed_at__isnull=False).exists()
    print(f"{NOTICES} notices, {KILLS} kills: {len(sent)} e-mails, {len(expected)} distinct Message-IDs, "
          f"{resent} resent with the same Message-ID")
