"""A real Celery worker on Redis runs a task sent by the application.

Runs when REDIS_URL is set (the PostgreSQL/Redis pass of `.ci/run`, which sets REQUIRE_REDIS=1 so
that it cannot be skipped there).
"""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

pytestmark = pytest.mark.celery_worker


@pytest.fixture
def redis_client():
    if not settings.REDIS_URL:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL is not set: the real-worker test runs in .ci/run's PostgreSQL/Redis pass")
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


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
