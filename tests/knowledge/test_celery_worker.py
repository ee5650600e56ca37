"""A real Celery worker on Redis: a commitment falls due, the beat task runs, and the responsible
entity gets exactly one e-mail; running the task again sends nothing more.

Runs when REDIS_URL is set (the PostgreSQL/Redis pass of `.ci/run`, REQUIRE_REDIS=1 there).
"""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from apps.core import outbox
from apps.core.models import Notification
from apps.core.tasks import outbox_sweep
from apps.knowledge.tasks import commitment_reminders
from tests.core.test_celery_worker import _database_url, _wait_for, redis_client  # noqa: F401 - fixture
from tests.factories import org
from tests.knowledge.commitment_factories import CommitmentFactory

pytestmark = pytest.mark.celery_worker
ENTITY_EMAIL = "compromisos@anm.gov.co"


@pytest.mark.django_db(transaction=True)
def test_a_commitment_falling_due_is_emailed_once_to_the_responsible_entity(
    redis_client, reference_data, tmp_path  # noqa: F811
):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite test database cannot be shared with a worker process")
    entity = org("ANM")  # an organisation with a contact address and no people: one recipient
    entity.email = ENTITY_EMAIL
    entity.save()
    commitment = CommitmentFactory(responsible=entity, due_on=timezone.localdate(),
                                   text="Entregar el mapa de títulos mineros del municipio")
    CommitmentFactory(responsible=entity, due_on=timezone.localdate() + timedelta(days=40))  # not yet due
    queue = f"test-knowledge-{uuid.uuid4().hex}"
    sent_file = tmp_path / "sent.tsv"
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "DATABASE_URL": _database_url(),
           "EMAIL_BACKEND": "tests.core.mail_recorder.RecordingBackend", "OUTBOX_TEST_MAIL_FILE": str(sent_file),
           "OUTBOX_SWEEP_GRACE_SECONDS": "0"}

    def sent_lines() -> list[list[str]]:
        return [line.split("\t") for line in sent_file.read_text().splitlines()] if sent_file.exists() else []

    log = Path(tmp_path / "worker.log").open("w")  # noqa: SIM115 - closed below
    # The beat task on this test's queue; the deliveries it queues go to the default queue.
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", f"{queue},celery",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        commitment_reminders.apply_async(queue=queue)  # what beat does every hour
        _wait_for(lambda: len(sent_lines()) >= 1, timeout=120, what="the reminder to be e-mailed")
        # The task again (a second beat, a retry) and a sweep: nothing more is written or sent.
        commitment_reminders.apply_async(queue=queue)
        outbox_sweep.apply_async(queue=queue)
        marker = f"{queue}:done"
        from apps.core.tasks import echo

        echo.apply_async(args=[marker, "1"], queue=queue)  # runs after the two above (one solo worker)
        assert redis_client.blpop([marker], timeout=90) is not None, "the worker stopped answering"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
        redis_client.delete(queue, "celery", f"{queue}:done")

    rows = list(Notification.objects.filter(kind="commitment_reminder"))
    assert [(r.email, r.sent_at is not None) for r in rows] == [(ENTITY_EMAIL, True)]
    assert f"knowledge:commitment:{commitment.pk}:reminder:0d:" in rows[0].key
    assert sent_lines() == [[outbox.message_id(rows[0].key), ENTITY_EMAIL]]  # exactly one e-mail
