"""Read a survey export (XLSX or CSV) into rows, refusing bad files before reading them.

Every refusal is a `BadFile` with a plain Spanish message; nothing is written by this module.
XLSX files are read with python-calamine (Rust, about ten times faster than openpyxl), after the
zip's declared sizes are checked, so that a compressed bomb is refused without inflating it.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

# A real 15,000-row export inflates to about 30 MB of XML; XML rarely compresses beyond 1:30.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 150
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")


class BadFile(Exception):
    """A file the importer refuses; `str(exc)` is the message for the person who uploaded it."""


def max_bytes() -> int:
    return settings.SURVEY_UPLOAD_MAX_BYTES


def _human(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"


def check_size(size: int) -> None:
    if size > max_bytes():
        raise BadFile(_("El archivo pesa %(size)s y el máximo permitido es %(max)s.")
                      % {"size": _human(size), "max": _human(max_bytes())})


def detect_format(path: Path) -> str:
    """'xlsx' or 'csv', after the checks that need no parsing; raises BadFile otherwise."""
    size = path.stat().st_size
    check_size(size)
    if size == 0:
        raise BadFile(_("El archivo está vacío."))
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE2):
        with open(path, "rb") as handle:
            if _ENCRYPTED_STREAM in handle.read():
                raise BadFile(_("El archivo de Excel está protegido con contraseña. Quite la contraseña, "
                                "guárdelo de nuevo y vuelva a cargarlo."))
        raise BadFile(_("El archivo es un Excel antiguo (.xls). Ábralo en Excel y guárdelo como .xlsx o .csv."))
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        _check_zip(path)
        return "xlsx"
    if head.startswith(_BINARY_MAGIC):
        raise BadFile(_("El archivo no es una hoja de cálculo. Cargue la exportación en .xlsx o .csv."))
    return "csv"


def _check_zip(path: Path) -> None:
    """Refuse corrupt, encrypted, non-Excel and bomb-like zips from their declared sizes."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadFile(_("El archivo de Excel está dañado y no se puede leer. Exporte el archivo de nuevo.")) from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise BadFile(_("El archivo comprimido no es un libro de Excel (.xlsx)."))
    if any(m.flag_bits & 0x1 for m in members):
        raise BadFile(_("El archivo de Excel está protegido con contraseña. Quite la contraseña, "
                        "guárdelo de nuevo y vuelva a cargarlo."))
    total = sum(m.file_size for m in members)
    bomb = total > MAX_UNCOMPRESSED_BYTES or any(
        m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members
    )
    if bomb:
        raise BadFile(_("El archivo se descomprime a un tamaño desproporcionado (posible bomba de "
                        "compresión) y no se leerá."))


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


def _xlsx_rows(path: Path) -> Iterator[list]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise BadFile(_("La hoja está vacía: no tiene encabezados ni respuestas."))
        sheet = workbook.get_sheet_by_index(0)
        # to_python() holds the sheet once (cells only); iter_rows() would be slower per row.
        data = sheet.to_python(skip_empty_area=False)
    except BadFile:
        raise
    except Exception as exc:  # calamine raises its own error types for zip, XML and password problems
        raise BadFile(_("El archivo de Excel está dañado o protegido y no se puede leer.")) from exc
    return iter(data)


def _csv_rows(path: Path) -> Iterator[list]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise BadFile(_("El archivo no es una hoja de cálculo. Cargue la exportación en .xlsx o .csv."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(_("El archivo CSV no está en UTF-8. Guárdelo como «CSV UTF-8» y vuelva a cargarlo.")) from exc
    return iter(csv.reader(io.StringIO(text, newline="")))
