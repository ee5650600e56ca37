"""Imports a dead worker left RUNNING (or whose queue message was lost) are taken back by the sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.surveys import tasks
from apps.surveys.models import ImportBatch
from apps.surveys.selectors import survey_results
from apps.surveys.services import batch_preview, batches_sweep
from tests.surveys.conftest import SAMPLES, expected, survey

pytestmark = pytest.mark.django_db

SLUG = "departamentos-2021-1"


def _stuck(status: str, *, minutes_ago: int, attempts: int = 1) -> ImportBatch:
    batch, _result = batch_preview(survey=survey(SLUG), path=SAMPLES / f"{SLUG}.xlsx", file_name="x.xlsx", user=None)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, attempts=attempts, status_changed_at=timezone.now() - timedelta(minutes=minutes_ago))
    return batch


@pytest.mark.parametrize("status", [ImportBatch.Status.RUNNING, ImportBatch.Status.QUEUED])
def test_a_stale_import_is_run_again_and_finishes(status, django_capture_on_commit_callbacks):
    batch = _stuck(status, minutes_ago=45)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.batches_sweep() == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.attempts == 2
    assert survey_results(user=None, survey=survey(SLUG), unit="entity") == expected(SLUG, "entity")


def test_a_running_import_within_its_time_is_left_alone():
    batch = _stuck(ImportBatch.Status.RUNNING, minutes_ago=5)
    assert batches_sweep() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING


def test_an_import_that_keeps_dying_fails_with_a_spanish_message():
    batch = _stuck(ImportBatch.Status.RUNNING, minutes_ago=45, attempts=3)
    assert batches_sweep() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "se interrumpió 3 veces" in batch.error
