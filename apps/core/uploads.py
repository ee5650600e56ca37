"""One guard for every uploaded spreadsheet, before any parser touches it.

`check_spreadsheet()` refuses, from cheap reads only, what would make a parser blow up: too
big, not a spreadsheet, an old or password-protected Excel, a corrupt or bomb-like zip, and a
sheet that declares (or uses) more rows or columns than the caller allows — a 5 KB `.xlsx`
whose only cell is `XFD1048576` makes openpyxl pad 17 billion cells and calamine abort the
process. `parse_in_child()` then runs the parser itself in a child process with a memory
limit and a timeout, so that whatever slips through costs a Spanish message, not the web
process. `decode_csv()` and `csv_rows()` are the one way CSV uploads are read.

Every refusal is a `BadFile` whose `str()` is the plain Spanish message for the uploader.
"""

from __future__ import annotations

import csv
import io
import logging
import pickle
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

# XML rarely compresses beyond 1:30; a real 15,000-row export inflates to about 30 MB.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 150
HEAD_BYTES = 16 * 1024  # <dimension> comes before <sheetData>, within the first few KB
SCAN_CHUNK = 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?\"")
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")

Source = str | Path | IO[bytes]
logger = logging.getLogger(__name__)


class BadFile(Exception):  # noqa: N818 - the name every importer already catches
    """An upload refused; `str(exc)` is the message for the person who uploaded it."""


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise BadFile(_("El archivo pesa %(size)s y el máximo permitido es %(max)s.")
                      % {"size": human_size(size), "max": human_size(max_bytes)})


def column_number(letters: str) -> int:
    """'A' → 1, 'Z' → 26, 'AA' → 27, 'XFD' → 16384."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _dots(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _too_big(rows: int, cols: int, *, max_rows: int, max_cols: int) -> BadFile:
    parts = []
    if rows > max_rows:
        parts.append(_("%(n)s filas (el máximo es %(max)s)") % {"n": _dots(rows), "max": _dots(max_rows)})
    if cols > max_cols:
        parts.append(_("%(n)s columnas (el máximo es %(max)s)") % {"n": _dots(cols), "max": _dots(max_cols)})
    return BadFile(_("La hoja llega hasta %(extent)s. Borre las filas y columnas vacías o copie solo los "
                     "datos a un libro nuevo.") % {"extent": _(" y ").join(parts)})


def _size_of(source: Source) -> int:
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    if getattr(source, "size", None) is not None:
        return source.size
    position = source.tell()
    size = source.seek(0, io.SEEK_END)
    source.seek(position)
    return size


def _read_head(source: Source, count: int) -> bytes:
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            return handle.read(count)
    source.seek(0)
    head = source.read(count)
    source.seek(0)
    return head


def check_spreadsheet(source: Source, *, max_bytes: int, max_rows: int, max_cols: int,
                      formats: Iterable[str] = ("xlsx", "csv")) -> str:
    """'xlsx' or 'csv' when the file may be parsed; raises BadFile otherwise.

    `source` is a path or a binary file object (an UploadedFile); a file object is left at 0.
    Reads only what is needed: the first bytes, the zip directory, the head of each sheet and,
    for the cell positions, a streamed scan bounded by the declared uncompressed size.
    """
    size = _size_of(source)
    check_size(size, max_bytes)
    if size == 0:
        raise BadFile(_("El archivo está vacío."))
    head = _read_head(source, 8)
    if head.startswith(_OLE2):
        if _ENCRYPTED_STREAM in _read_head(source, size):
            raise BadFile(_("El archivo de Excel está protegido con contraseña. Quite la contraseña, "
                            "guárdelo de nuevo y vuelva a cargarlo."))
        raise BadFile(_("El archivo es un Excel antiguo (.xls). Ábralo en Excel y guárdelo como .xlsx o .csv."))
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        file_format = "xlsx"
    elif head.startswith(_BINARY_MAGIC):
        raise BadFile(_("El archivo no es una hoja de cálculo. Cárguelo en .xlsx o .csv."))
    else:
        file_format = "csv"
    if file_format not in formats:
        allowed = " o ".join(f".{f}" for f in formats)
        raise BadFile(_("El archivo debe ser %(formats)s.") % {"formats": allowed})
    if file_format == "xlsx":
        _check_xlsx(source, max_rows=max_rows, max_cols=max_cols)
    else:
        _check_csv_lines(source, max_rows=max_rows)
    if not isinstance(source, str | Path):
        source.seek(0)
    return file_format


def _check_csv_lines(source: Source, *, max_rows: int) -> None:
    """Rows are counted as lines (a quoted cell may hold more): enough to refuse a huge file early."""
    lines = 0
    handle = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    try:
        handle.seek(0)
        for chunk in iter(lambda: handle.read(SCAN_CHUNK), b""):
            lines += chunk.count(b"\n")
    finally:
        if handle is not source:
            handle.close()
    if lines > max_rows + 1:  # one header line
        raise BadFile(_("El archivo tiene %(rows)s filas y el máximo es %(max)s. Divida el archivo.")
                      % {"rows": _dots(lines), "max": _dots(max_rows)})


def _check_xlsx(source: Source, *, max_rows: int, max_cols: int) -> None:
    try:
        archive = zipfile.ZipFile(source)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadFile(_("El archivo de Excel está dañado y no se puede leer. Exporte el archivo de nuevo.")) from exc
    with archive:
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
        try:
            for member in members:
                if _SHEET.match(member.filename):
                    rows, cols = _sheet_extent(archive, member, max_rows=max_rows, max_cols=max_cols)
                    if rows > max_rows or cols > max_cols:
                        raise _too_big(rows, cols, max_rows=max_rows, max_cols=max_cols)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise BadFile(_("El archivo de Excel está dañado y no se puede leer. "
                            "Exporte el archivo de nuevo.")) from exc


def _ref_pattern(max_rows: int, max_cols: int) -> re.Pattern:
    """References r="…" that may exceed the caps: with as many column letters as the widest
    allowed column has, or as many row digits as the last allowed row. Ordinary references are
    shorter and never reach Python, so the scan runs at the regex engine's speed (the literal
    `r="` first lets it skip ahead)."""
    letters = 1
    while 26 ** letters < max_cols:
        letters += 1
    digits = len(str(max_rows))
    return re.compile(rb'r="(?:([A-Za-z]{%d,})(\d*)|([A-Za-z]*)(\d{%d,}))"' % (letters, digits))


def _sheet_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, max_rows: int,
                  max_cols: int) -> tuple[int, int]:
    """(rows, cols) a sheet declares in <dimension>, or else the largest reference it uses.

    Excel, LibreOffice, openpyxl and Microsoft Forms always declare the dimension, so the usual
    cost is one read of the sheet's first kilobytes. A sheet that lies about it (declares A1 and
    uses XFD1048576) gets past this check and is stopped by `parse_in_child`'s memory limit.
    """
    with archive.open(member) as stream:
        head = stream.read(HEAD_BYTES)
        declared = _DIMENSION.search(head)
        if declared:
            first_col, first_row, last_col, last_row = (g.decode() for g in declared.groups(b""))
            return int(last_row or first_row or 0), column_number(last_col or first_col)
        pattern = _ref_pattern(max_rows, max_cols)
        rows = cols = 0
        tail = b""
        chunk = head
        while chunk:
            text = tail + chunk
            for match in pattern.finditer(text):
                start = match.start()
                if start == 0 or text[start - 1:start] not in b" \t\r\n":
                    continue  # another attribute ending in r (or a cut one, seen whole next time)
                col_letters, row_a, col_b, row_b = match.groups()
                letters, digits = (col_letters, row_a) if col_letters else (col_b, row_b)
                rows = max(rows, int(digits or 0))
                cols = max(cols, column_number(letters.decode()) if letters else 0)
                if rows > max_rows or cols > max_cols:
                    return rows, cols
            tail = text[-32:]  # a reference cut between two chunks is seen whole in the next
            chunk = stream.read(SCAN_CHUNK)
    return rows, cols


# --- CSV ------------------------------------------------------------------------------------------


def decode_csv(raw: bytes) -> str:
    """The text of a CSV upload: UTF-8 (with or without BOM), else Windows-1252 (Excel's "CSV")."""
    if b"\x00" in raw[:4096]:
        raise BadFile(_("El archivo no es una hoja de cálculo. Cárguelo en .xlsx o .csv."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise BadFile(_("No se reconoce la codificación del archivo CSV. Guárdelo como «CSV UTF-8» "
                        "y vuelva a cargarlo.")) from exc


def sniff_delimiter(text: str) -> str:
    """';' (Excel in a Spanish locale, and our exports) or ',' from the header line."""
    first = text.split("\n", 1)[0]
    candidates = {";": first.count(";"), ",": first.count(","), "\t": first.count("\t")}
    best = max(candidates, key=lambda d: candidates[d])
    return best if candidates[best] else ","


def csv_rows(text: str, *, max_cols: int, max_rows: int | None = None) -> Iterator[list[str]]:
    """Rows of a decoded CSV; a row wider than `max_cols`, a longer file or a cell over the csv
    module's field limit (128 KiB) is a BadFile, raised while iterating."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise BadFile(_("Una celda del archivo (fila %(line)s) supera el tamaño máximo de "
                                "%(size)s. Acorte ese texto y vuelva a cargarlo.")
                              % {"line": reader.line_num, "size": human_size(csv.field_size_limit())}) from exc
            raise BadFile(_("El archivo CSV está mal formado cerca de la fila %(line)s.")
                          % {"line": reader.line_num}) from exc
        count += 1
        if len(row) > max_cols:
            raise BadFile(_("La fila %(line)s tiene %(cols)s columnas y el máximo es %(max)s.")
                          % {"line": count, "cols": len(row), "max": max_cols})
        if max_rows is not None and count > max_rows + 1:
            raise BadFile(_("El archivo tiene más de %(max)s filas. Divida el archivo.")
                          % {"max": _dots(max_rows)})
        yield row


# --- Parsing in a child process --------------------------------------------------------------------


ROOT = Path(__file__).resolve().parents[2]
_BOOTSTRAP = "from apps.core.uploads import _child_main; _child_main()"


def _child_main() -> None:
    """The child's body: read (fn, args, limit) from stdin, answer (status, value) on stdout."""
    import resource
    import sys

    fn, args, memory_limit_mb = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - written by our parent
    limit = memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        answer = ("ok", fn(*args))
    except BadFile as exc:
        answer = ("refused", str(exc))
    except MemoryError:
        answer = ("memory", "")
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's fault, reported as such
        answer = ("error", f"{type(exc).__name__}: {exc}")
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.buffer.flush()


def parse_in_child(fn: Callable[..., Any], *args: Any, memory_limit_mb: int = 1024, timeout: float = 60) -> Any:
    """`fn(*args)` in a fresh Python process limited to `memory_limit_mb` of address space and
    `timeout` seconds; its (picklable) result, or BadFile when it crashes, aborts, runs out of
    memory or takes too long. `fn` must be importable (a module-level function), need no Django
    setup and take absolute paths. A BadFile raised by `fn` comes back with its message.

    A plain subprocess rather than multiprocessing: it works the same from a web worker, a
    management command and a Celery prefork worker (whose children may not have children).
    """
    payload = pickle.dumps((fn, args, memory_limit_mb))
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed bootstrap
        [sys.executable, "-c", _BOOTSTRAP], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = process.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise BadFile(_("El archivo tarda demasiado en leerse y se abandonó. Revise que no tenga "
                        "filas o columnas vacías de más, o divídalo.")) from None
    try:
        status, value = pickle.loads(out) if process.returncode == 0 and out else ("crash", "")  # noqa: S301
    except (pickle.UnpicklingError, EOFError, ValueError):
        status, value = "crash", ""
    if status == "ok":
        return value
    if status == "refused":
        raise BadFile(value)
    if status == "error":
        logger.info("Parser error in child: %s", value)
        raise BadFile(_("El archivo está dañado y no se puede leer. Guárdelo de nuevo como .xlsx o .csv."))
    # A native abort, a kill by the kernel or a MemoryError: almost always a sheet far bigger than its data.
    logger.info("Parser child ended with %s: %s", process.returncode, err[-2000:].decode(errors="replace"))
    raise BadFile(_("El archivo necesita demasiada memoria para leerse (suele ser una hoja con filas o "
                    "columnas vacías de más) y no se leyó. Copie solo los datos a un libro nuevo."))


def xlsx_first_sheet(path: str) -> list[list]:
    """Every row of the first sheet as plain values (openpyxl, read-only): for `parse_in_child`."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
