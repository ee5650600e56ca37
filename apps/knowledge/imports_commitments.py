"""Progress of many commitments at once, from a spreadsheet keyed by commitment id.

Columns (any order, other columns ignored, so the export of "mis compromisos" is the template):
`id`, `estado` (pendiente, en curso, cumplido, vencido, descartado; empty keeps the current one),
`nota` and, optionally, `fecha límite`. The upload passes the guard of apps/core/uploads.py and an
XLSX is read in a memory-limited child process.

`import_plan()` checks every row without writing (the preview): an id the person may not move is
"no encontrado" (the same as a missing one), an unknown status or an illegal move is a row error,
a row equal to the commitment's last progress note is "sin cambios". `import_apply()` writes the
rows that change something, all or nothing, each with the import key `<file sha256>:<id>`: the same
file imported again changes nothing, even after later edits on the page.
"""

import hashlib
import io
import tempfile
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.text import normalize, unsafe_cell
from apps.core.uploads import BadFile, check_spreadsheet, csv_rows, decode_csv, parse_in_child, xlsx_first_sheet
from apps.knowledge.models import CommitmentProgress, CommitmentStatus
from apps.knowledge.permissions_commitments import move_allowed
from apps.knowledge.selectors import commitments_editable
from apps.knowledge.services import due_on_error

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5_000
IMPORT_MAX_COLS = 30
HEADERS = {"id": "id", "estado": "status", "nota": "note", "fecha limite": "due_on", "fecha_limite": "due_on"}
STATUSES = {normalize(label): value for value, label in CommitmentStatus.choices} | {
    normalize(value.replace("_", " ")): value for value in CommitmentStatus.values}


@dataclass
class Row:
    line: int
    id: str
    status: str = ""
    note: str = ""
    due_on: date | None = None
    error: str = ""
    changes: bool = False
    text: str = ""
    current: str = ""


def import_check(upload) -> str:
    return check_spreadsheet(upload, max_bytes=IMPORT_MAX_BYTES, max_rows=IMPORT_MAX_ROWS, max_cols=IMPORT_MAX_COLS)


def _cells(content: bytes) -> list[list]:
    if import_check(io.BytesIO(content)) == "xlsx":
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            handle.write(content)
            handle.flush()
            return parse_in_child(xlsx_first_sheet, handle.name, memory_limit_mb=768, timeout=60)
    return list(csv_rows(decode_csv(content), max_cols=IMPORT_MAX_COLS, max_rows=IMPORT_MAX_ROWS))


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unsafe_cell(str(cell).strip())


def _date(cell) -> date | None:
    if cell in (None, ""):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = str(cell).strip()
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):  # noqa: DTZ007
        try:
            return parse(text[:10])
        except ValueError:
            continue
    raise ValueError(text)


def read_rows(content: bytes) -> list[Row]:
    """The file's rows (line numbers as the spreadsheet shows them); BadFile for an unreadable file."""
    cells = [list(row) for row in _cells(content)]
    while cells and not any(_text(c) for c in cells[0]):
        cells.pop(0)
    if not cells:
        raise BadFile(_("El archivo está vacío."))
    columns = {HEADERS[normalize(_text(c))]: i for i, c in enumerate(cells[0]) if normalize(_text(c)) in HEADERS}
    missing = [name for name, attr in (("id", "id"), ("estado", "status"), ("nota", "note")) if attr not in columns]
    if missing:
        raise BadFile(_("Faltan columnas: %(cols)s. Use la plantilla (la exportación de sus compromisos).")
                      % {"cols": ", ".join(missing)})
    rows = []
    for number, raw in enumerate(cells[1:], start=2):
        def cell(attr: str, raw=raw):
            i = columns.get(attr)
            return raw[i] if i is not None and i < len(raw) else None

        if not any(_text(c) for c in raw):
            continue
        row = Row(line=number, id=_text(cell("id")), note=_text(cell("note")))
        status = normalize(_text(cell("status")).replace("_", " "))
        if status:
            row.status = STATUSES.get(status, "")
            if not row.status:
                row.error = _("Estado «%(s)s» no válido. Use: pendiente, en curso, cumplido, vencido o descartado.") % {
                    "s": _text(cell("status"))[:40]}
        try:
            row.due_on = _date(cell("due_on"))
        except ValueError:
            row.error = row.error or _("Fecha límite no válida: use AAAA-MM-DD.")
        else:
            row.error = row.error or due_on_error(row.due_on) or ""
        rows.append(row)
    return rows


def _pk(text: str) -> int | None:
    """A commitment id as people write it: ASCII digits only ("²" and "١" pass `isdigit()` and
    then break or fool `int()`)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None


def file_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def import_plan(*, user: User, content: bytes) -> list[Row]:
    """Every row checked against what the person may move, nothing written."""
    rows = read_rows(content)
    ids = [pk for r in rows if (pk := _pk(r.id)) is not None]
    commitments = {c.pk: c for c in commitments_editable(user=user).filter(pk__in=ids)}
    last_notes = {}
    for progress in CommitmentProgress.objects.filter(commitment_id__in=commitments).order_by("created_at", "id"):
        last_notes[progress.commitment_id] = progress  # the last one wins
    used = set(CommitmentProgress.objects.filter(
        import_key__in=[f"{file_key(content)}:{pk}" for pk in commitments]).values_list("import_key", flat=True))
    seen: set[int] = set()
    for row in rows:
        pk = _pk(row.id)
        commitment = commitments.get(pk) if pk is not None else None
        if row.error:
            continue
        if commitment is None:
            row.error = _("Compromiso «%(id)s» no encontrado.") % {"id": row.id[:20]}
            continue
        if commitment.pk in seen:
            row.error = _("El compromiso %(id)s aparece dos veces en el archivo.") % {"id": commitment.pk}
            continue
        seen.add(commitment.pk)
        row.text, row.current = commitment.text, commitment.status
        status = row.status or commitment.status
        last = last_notes.get(commitment.pk)
        new_due = row.due_on or commitment.due_on
        same = (last is not None and last.to_status == status == commitment.status and last.note == row.note
                and new_due == commitment.due_on)
        if same or f"{file_key(content)}:{commitment.pk}" in used:
            continue
        if not row.note:
            row.error = _("Escriba una nota: qué se hizo o por qué cambia el estado.")
        elif len(row.note) > 4000:
            row.error = _("La nota no puede pasar de 4000 caracteres.")
        elif status == CommitmentStatus.OVERDUE and new_due is not None and new_due >= timezone.localdate():
            row.error = _("Con la fecha límite en el futuro el compromiso no está vencido: use pendiente o en curso.")
        elif not move_allowed(commitment.status, status):
            row.error = _("Un compromiso %(from)s no puede pasar a %(to)s.") % {
                "from": str(CommitmentStatus(commitment.status).label).lower(),
                "to": str(CommitmentStatus(status).label).lower()}
        else:
            row.status = status
            row.changes = True
    return rows


@transaction.atomic
def import_apply(*, user: User, content: bytes) -> int:
    """Apply the rows that change something (none if any row has an error); returns how many were applied."""
    from apps.knowledge.services import Unchanged, commitment_update_status

    rows = import_plan(user=user, content=content)
    if any(r.error for r in rows):
        raise BadFile(_("El archivo tiene filas con problemas; corríjalas y cárguelo de nuevo."))
    key = file_key(content)
    commitments = {c.pk: c for c in commitments_editable(user=user).filter(pk__in=[int(r.id) for r in rows
                                                                                     if r.changes])}
    applied = 0
    for row in rows:
        if not row.changes:
            continue
        try:
            progress = commitment_update_status(user=user, commitment=commitments[int(row.id)], status=row.status,
                                                note=row.note, due_on=row.due_on, import_key=f"{key}:{row.id}")
        except (ValidationError, Unchanged) as exc:  # changed by someone since the preview
            raise BadFile(_("Fila %(line)s: %(error)s") % {
                "line": row.line, "error": " ".join(getattr(exc, "messages", [])) or _("sin cambios")}) from exc
        applied += progress is not None
    return applied
