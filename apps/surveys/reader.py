"""Read a survey export (XLSX or CSV) into rows, refusing bad files before reading them.

Every refusal is a `BadFile` (from `apps.core.uploads`) with a plain Spanish message; nothing is
written by this module. The upload guard (`check_spreadsheet`) runs first: size, magic bytes,
password, zip bomb and the sheet's declared and used extent. XLSX files are then read with
python-calamine (Rust, about ten times faster than openpyxl) in a child process with a memory
limit, so that a file that still makes it abort costs a message, not the web process or worker.
"""

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from apps.core import uploads
from apps.core.uploads import BadFile, csv_rows, decode_csv, parse_in_child

__all__ = ["BadFile", "check_size", "detect_format", "max_bytes", "read_rows"]

# A municipal export has one row per answer (about 15,000 in 2021) and a few dozen columns.
MAX_ROWS = 200_000
MAX_COLS = 1_000
MEMORY_LIMIT_MB = 2048
TIMEOUT_SECONDS = 300


def max_bytes() -> int:
    return settings.SURVEY_UPLOAD_MAX_BYTES


def check_size(size: int) -> None:
    uploads.check_size(size, max_bytes())


def detect_format(path: Path) -> str:
    """'xlsx' or 'csv', after the checks that need no parsing; raises BadFile otherwise."""
    return uploads.check_spreadsheet(path, max_bytes=max_bytes(), max_rows=MAX_ROWS, max_cols=MAX_COLS)


def read_rows(path: Path, file_format: str) -> tuple[list, Iterator[list]]:
    """The header row and an iterator over the later rows; raises BadFile for unreadable or empty sheets."""
    rows = _xlsx_rows(path) if file_format == "xlsx" else _csv_rows(path)
    header = next(rows, None)
    while header is not None and not any(_filled(c) for c in header):
        header = next(rows, None)
    if header is None:
        raise BadFile(_("La hoja está vacía: no tiene encabezados ni respuestas."))
    return header, rows


def _filled(cell: object) -> bool:
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def calamine_first_sheet(path: str) -> list[list] | None:
    """The first sheet's cells (None for a workbook without sheets); runs in `parse_in_child`."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    if not workbook.sheet_names:
        return None
    # to_python() holds the sheet once (cells only); iter_rows() would be slower per row.
    return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)


def _xlsx_rows(path: Path) -> Iterator[list]:
    data = parse_in_child(calamine_first_sheet, str(Path(path).resolve()), memory_limit_mb=MEMORY_LIMIT_MB,
                          timeout=TIMEOUT_SECONDS)
    if data is None:
        raise BadFile(_("La hoja está vacía: no tiene encabezados ni respuestas."))
    return iter(data)


def _csv_rows(path: Path) -> Iterator[list]:
    return csv_rows(decode_csv(path.read_bytes()), max_cols=MAX_COLS, max_rows=MAX_ROWS)
