"""Everything that writes survey data: import batches and the answers they replace.

A survey's imported answers always come from one import (its `current_batch`): writing a newer
export deletes the previous import's submissions and answers (`batch_id IS NOT NULL`) and inserts
the new ones in one transaction; answers given through links (`batch_id IS NULL`, written by
`apps.surveys.live`) are never touched. A file whose SHA-256 equals the current batch's changes
nothing. A live survey takes no imports (its figures count only live answers).
"""

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.surveys.importer import ParseResult, file_sha256, iter_answers, parse_export
from apps.surveys.models import Answer, ImportBatch, RejectedRow, ResultCount, Submission, Survey
from apps.surveys.reader import BadFile, check_size

CHUNK = 2000
SUBMISSION_COLUMNS = ("id", "survey_id", "batch_id", "row_number", "external_id", "started_at", "finished_at",
                      "municipality_id", "department_id", "national_entity_id", "is_latest", "identity")
ANSWER_COLUMNS = ("survey_id", "submission_id", "question_id", "option_id", "position", "is_latest", "number", "text")
ANSWERS, SUBMISSIONS, RESULTS = Answer._meta.db_table, Submission._meta.db_table, ResultCount._meta.db_table
Progress = Callable[[int], None]


@dataclass
class ImportOutcome:
    result: ParseResult | None
    batch: ImportBatch | None
    unchanged: bool = False
    dry_run: bool = False


def progress_key(batch_id: int) -> str:
    return f"surveys:import-progress:{batch_id}"


def is_current_file(survey: Survey, sha256: str) -> bool:
    batch = survey.current_batch
    return batch is not None and batch.file_sha256 == sha256


def check_importable(survey: Survey) -> None:
    """Raises BadFile for a live survey: an import there would count in no figure."""
    if survey.is_live:
        raise BadFile(_("Esta encuesta se responde por enlace: no recibe archivos de importación."))


def survey_import_file(*, survey: Survey, path: Path, file_name: str = "", user=None,
                       dry_run: bool = False) -> ImportOutcome:
    """Import (or only preview) one export synchronously: the command line and the demo data."""
    path = Path(path)
    check_importable(survey)
    check_size(path.stat().st_size)
    if not dry_run and is_current_file(survey, file_sha256(path)):
        return ImportOutcome(result=None, batch=survey.current_batch, unchanged=True)
    result = parse_export(survey, path)
    if dry_run:
        return ImportOutcome(result=result, batch=None, dry_run=True,
                             unchanged=is_current_file(survey, result.sha256))
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            survey=survey, file_name=file_name or path.name, file_sha256=result.sha256,
            file_size=path.stat().st_size, status=ImportBatch.Status.RUNNING, uploaded_by=user,
        )
        unchanged = not survey_replace_answers(survey=survey, batch=batch, result=result)
        if unchanged:
            batch.delete()
    return ImportOutcome(result=result, batch=survey.current_batch if unchanged else batch, unchanged=unchanged)


def survey_replace_answers(*, survey: Survey, batch: ImportBatch, result: ParseResult,
                           progress: Progress | None = None) -> bool:
    """Replace the survey's imported submissions and answers with `result` in one transaction.

    Live submissions (no batch) and their answers stay. Returns False (and writes nothing) when
    the survey already holds this very file.
    """
    with transaction.atomic():
        locked = Survey.objects.select_for_update(of=("self",)).select_related("current_batch").get(pk=survey.pk)
        if is_current_file(locked, result.sha256):
            return False
        with connection.cursor() as cursor:
            # Answers first: their foreign keys are DO_NOTHING so both deletes are single statements.
            cursor.execute(f"DELETE FROM {RESULTS} WHERE survey_id = %s", [survey.pk])  # noqa: S608
            cursor.execute(f"DELETE FROM {ANSWERS} WHERE submission_id IN "  # noqa: S608
                           f"(SELECT id FROM {SUBMISSIONS} WHERE survey_id = %s AND batch_id IS NOT NULL)",
                           [survey.pk])
            cursor.execute(f"DELETE FROM {SUBMISSIONS} "  # noqa: S608
                           "WHERE survey_id = %s AND batch_id IS NOT NULL", [survey.pk])
        total = len(result.accepted)
        for start in range(0, total, CHUNK):
            rows = result.accepted[start:start + CHUNK]
            ids = _next_submission_ids(len(rows))
            _copy(SUBMISSIONS, SUBMISSION_COLUMNS, _submission_rows(rows, ids, survey.pk, batch.pk))
            _copy(ANSWERS, ANSWER_COLUMNS, iter_answers(rows, ids, survey.pk))
            if progress:
                progress(int(95 * min(start + CHUNK, total) / max(total, 1)))
        _count_results(survey.pk)
        RejectedRow.objects.bulk_create(
            [RejectedRow(batch=batch, row_number=r.row_number, reason=r.reason[:300], data=r.data)
             for r in result.rejected], batch_size=500,
        )
        batch.status = ImportBatch.Status.DONE
        batch.total_rows, batch.accepted_count = result.total_rows, len(result.accepted)
        batch.rejected_count, batch.finished_at, batch.error = len(result.rejected), timezone.now(), ""
        batch.save(update_fields=["status", "total_rows", "accepted_count", "rejected_count", "finished_at", "error"])
        locked.current_batch = batch
        locked.save(update_fields=["current_batch"])
        survey.current_batch = batch
    return True


def _count_results(survey_id: int) -> None:
    """The database groups the new imported answers once; results read these counts (see ResultCount)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RESULTS} (survey_id, is_latest, department_id, question_id, option_id, "  # noqa: S608
            "n, answered, total, low, high) "
            "SELECT a.survey_id, a.is_latest, s.department_id, a.question_id, a.option_id, COUNT(*), "
            "SUM(CASE WHEN a.position = 0 THEN 1 ELSE 0 END), SUM(a.number), MIN(a.number), MAX(a.number) "
            f"FROM {ANSWERS} a JOIN {SUBMISSIONS} s ON s.id = a.submission_id "
            "WHERE s.survey_id = %s AND s.batch_id IS NOT NULL "
            "GROUP BY a.survey_id, a.is_latest, s.department_id, a.question_id, a.option_id",
            [survey_id],
        )


def _next_submission_ids(count: int) -> list[int]:
    """Ids for new submissions, so that their answers can be written without reading them back.

    PostgreSQL hands them out from the table's sequence; SQLite allows one writer, and this
    transaction already holds the write lock (it has deleted the old rows), so max(id) is safe.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [SUBMISSIONS, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {SUBMISSIONS}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _submission_rows(rows, ids: list[int], survey_id: int, batch_id: int):
    adapt = connection.ops.adapt_datetimefield_value if connection.vendor != "postgresql" else (lambda v: v)
    for row, pk in zip(rows, ids, strict=True):
        yield (pk, survey_id, batch_id, row.row_number, row.external_id[:40], adapt(row.started_at),
               adapt(row.finished_at), row.municipality_id, row.department_id, row.national_entity_id,
               row.is_latest, json.dumps(row.identity, ensure_ascii=False))


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    """COPY on PostgreSQL (the fastest path), executemany of plain tuples elsewhere."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # noqa: S608


# --- The upload page: preview first, then a queued import -----------------------------------------


def upload_to_temp(upload) -> Path:
    """An uploaded file as a path on disk (Django keeps small uploads in memory)."""
    if hasattr(upload, "temporary_file_path"):
        return Path(upload.temporary_file_path())
    handle = tempfile.NamedTemporaryFile(delete=False, suffix=Path(upload.name).suffix)  # noqa: SIM115
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name)


def batch_preview(*, survey: Survey, path: Path, file_name: str, user) -> tuple[ImportBatch | None, ParseResult]:
    """Parse an upload; keep it as a PREVIEW batch unless it is the file already imported.

    Raises BadFile, having written nothing.
    """
    check_importable(survey)
    result = parse_export(survey, path)
    if is_current_file(survey, result.sha256):
        return None, result
    with transaction.atomic():
        batch = ImportBatch(
            survey=survey, file_name=file_name[:255], file_sha256=result.sha256, file_size=path.stat().st_size,
            uploaded_by=user, total_rows=result.total_rows, accepted_count=len(result.accepted),
            rejected_count=len(result.rejected),
        )
        with open(path, "rb") as handle:
            batch.file.save(Path(file_name).name or "export", File(handle), save=False)
        batch.save()
    return batch, result


def batch_confirm(*, batch: ImportBatch) -> bool:
    """PREVIEW → QUEUED (once) and queue the import after commit; False if it was already confirmed."""
    from apps.surveys.tasks import import_batch_run

    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.QUEUED, status_changed_at=timezone.now())
        if claimed:
            cache.set(progress_key(batch.pk), 0, timeout=3600)
            transaction.on_commit(lambda: import_batch_run.delay(batch.pk))
    return bool(claimed)


def batch_run(*, batch_id: int) -> None:
    """The task's body: claim a QUEUED batch, re-read its file and replace the survey's answers."""
    if not ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
            status=ImportBatch.Status.RUNNING, status_changed_at=timezone.now(), attempts=F("attempts") + 1):
        return  # another worker has it, or it is finished: a retry must not import twice
    batch = ImportBatch.objects.select_related("survey__current_batch").get(pk=batch_id)
    workdir = Path(tempfile.mkdtemp(prefix="survey-import-"))
    try:
        local = workdir / Path(batch.file.name or "export").name
        with batch.file.open("rb") as source, open(local, "wb") as target:
            shutil.copyfileobj(source, target)
        result = parse_export(batch.survey, local)
        cache.set(progress_key(batch_id), 5, timeout=3600)
        written = survey_replace_answers(
            survey=batch.survey, batch=batch, result=result,
            progress=lambda pct: cache.set(progress_key(batch_id), 5 + int(pct * 0.95), timeout=3600),
        )
        if not written:
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportBatch.Status.FAILED, finished_at=timezone.now(),
                error=_("Este archivo ya estaba importado: no cambió nada."))
    except BadFile as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED, error=str(exc), finished_at=timezone.now())
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED, error=_("Error inesperado al importar."), finished_at=timezone.now())
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    cache.set(progress_key(batch_id), 100, timeout=3600)


def batches_sweep(*, stale_after: timedelta | None = None, max_attempts: int = 3) -> int:
    """Take back imports a dead worker left RUNNING, or whose queue message was lost; returns how many.

    The replacement is one transaction, so a worker killed mid-import wrote nothing: the batch goes
    back to QUEUED and is queued again, up to `max_attempts` runs, then it fails with a message.
    """
    from apps.surveys.tasks import import_batch_run

    stale_after = stale_after or timedelta(minutes=settings.SURVEY_IMPORT_STALE_MINUTES)
    cutoff = timezone.now() - stale_after
    stale = ImportBatch.objects.filter(
        status__in=(ImportBatch.Status.RUNNING, ImportBatch.Status.QUEUED), status_changed_at__lt=cutoff)
    ImportBatch.objects.filter(pk__in=stale.filter(attempts__gte=max_attempts).values("pk")).update(
        status=ImportBatch.Status.FAILED, finished_at=timezone.now(),
        error=_("La importación se interrumpió %(n)d veces. Vuelva a cargar el archivo.") % {"n": max_attempts})
    # Conditional per batch: one a live worker finishes meanwhile is left alone.
    requeued = [
        pk for pk in stale.filter(attempts__lt=max_attempts).values_list("pk", flat=True)
        if ImportBatch.objects.filter(pk=pk, status__in=(ImportBatch.Status.RUNNING, ImportBatch.Status.QUEUED),
                                      status_changed_at__lt=cutoff).update(
            status=ImportBatch.Status.QUEUED, status_changed_at=timezone.now())
    ]
    for pk in requeued:
        transaction.on_commit(partial(import_batch_run.delay, pk))
    return len(requeued)


def batch_discard(*, batch: ImportBatch) -> None:
    """Drop a preview that will not be imported (and its stored file)."""
    with transaction.atomic():
        if ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).delete()[0]:
            transaction.on_commit(lambda: batch.file.delete(save=False) if batch.file else None)
