"""A real Celery worker on Redis sends the 7-day reminders of a jornada, killed mid-run and
restarted: every attendee gets the reminder, none gets it twice (a resend after a kill carries the
same Message-ID, so it is the same message in the inbox), and rerunning the beat task writes nothing.

Runs when REDIS_URL is set (the PostgreSQL/Redis pass of `.ci/run`, REQUIRE_REDIS=1 there).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from apps.agenda.models import Status
from apps.agenda.tasks import reminders_due
from apps.core import outbox
from apps.core.models import Notification
from apps.core.tasks import outbox_sweep
from tests.agenda.factories import EventFactory
from tests.core.test_celery_worker import _database_url, _wait_for, redis_client  # noqa: F401 - fixture

pytestmark = pytest.mark.celery_worker
ATTENDEES = 30
KILLS = 2


@pytest.mark.django_db(transaction=True)
def test_the_seven_day_reminder_is_emailed_once_even_when_the_worker_is_killed(
    redis_client, reference_data, tmp_path  # noqa: F811
):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite test database cannot be shared with a worker process")
    start = timezone.now() + timedelta(days=6)
    event = EventFactory(status=Status.CONFIRMED, starts_at=start, ends_at=start + timedelta(hours=3),
                         providers=["ESAP"])
    for i in range(ATTENDEES):
        event.attendees.create(name=f"Persona {i}", email=f"persona{i}@example.co")
    queue = f"test-agenda-{uuid.uuid4().hex}"
    sent_file = tmp_path / "sent.tsv"
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "DATABASE_URL": _database_url(),
           "EMAIL_BACKEND": "tests.core.mail_recorder.RecordingBackend",
           "OUTBOX_TEST_MAIL_FILE": str(sent_file), "OUTBOX_TEST_MAIL_DELAY": "0.1",
           "OUTBOX_LEASE_SECONDS": "2", "OUTBOX_SWEEP_GRACE_SECONDS": "0"}

    def sent_lines() -> list[str]:
        return sent_file.read_text().splitlines() if sent_file.exists() else []

    def start_worker(n: int) -> subprocess.Popen:
        log = Path(tmp_path / f"worker-{n}.log").open("w")  # noqa: SIM115 - closed with the process
        # The beat task on this test's queue; the deliveries it queues go to the default queue.
        return subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", f"{queue},celery",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )

    worker = None
    try:
        reminders_due.apply_async(queue=queue)
        for n in range(KILLS):
            before = len(sent_lines())
            worker = start_worker(n)
            _wait_for(lambda before=before: len(sent_lines()) >= before + 4, timeout=120,
                      what=f"worker {n} to send some reminders")
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        assert Notification.objects.filter(sent_at=None).exists(), "the kills came too late to test anything"

        worker = start_worker(KILLS)
        last = 0.0

        def all_sent() -> bool:
            nonlocal last
            if time.monotonic() - last > 2:  # what beat does, faster: the reminders task and the sweep
                reminders_due.apply_async(queue=queue)
                outbox_sweep.apply_async(queue=queue)
                last = time.monotonic()
            rows = Notification.objects.filter(kind="agenda_reminder")
            return rows.count() >= ATTENDEES and not rows.filter(sent_at=None).exists()

        _wait_for(all_sent, timeout=180, what="every reminder to be sent")
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        redis_client.delete(queue, "celery")

    rows = list(Notification.objects.filter(kind="agenda_reminder"))
    expected = {outbox.message_id(r.key): r.address for r in rows}
    assert sorted(expected.values()) == sorted(f"persona{i}@example.co" for i in range(ATTENDEES))
    assert all(":reminder:7d:" in r.key for r in rows)
    sent = [line.split("\t") for line in sent_lines()]
    assert {message_id for message_id, _to in sent} == set(expected)  # every reminder e-mailed
    resent = sum(count - 1 for count in Counter(message_id for message_id, _to in sent).values())
    assert resent <= KILLS  # only a row whose worker died between sending and marking it sent
    print(f"{ATTENDEES} reminders, {KILLS} kills: {len(sent)} e-mails, {resent} resent with the same Message-ID")
