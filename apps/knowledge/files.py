"""The guidelines library's files: what is accepted, under which name, and a tiny PDF writer.

A file is accepted by what its bytes are, never by its name or the browser's content type: PDF,
Word (.docx), Excel (.xlsx), OpenDocument text (.odt), PNG and JPEG, up to
`settings.KNOWLEDGE_UPLOAD_MAX_BYTES`. An HTML page renamed .pdf is refused; a zip that claims to be
an office document must have that document's parts and inflate to a sane size. The stored path
is random (`<uuid>.<ext>` under MEDIA_ROOT/knowledge/guidelines/<year>/): nothing of the uploaded
name reaches the file system. The name people see is reduced to safe ASCII with the extension of
the detected type.
"""

import hashlib
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core.uploads import BadFile, check_size

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 150

TYPES = {  # extension -> content type
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
}
ACCEPT = ",".join(f".{ext}" for ext in TYPES) + ",.jpeg"


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    storage_name: str  # random: nothing of the uploaded name reaches the file system
    extension: str
    content_type: str
    size: int
    sha256: str
    display_name: str


def _wrong_type() -> BadFile:
    return BadFile(_("El archivo debe ser PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt) o una imagen "
                     "PNG o JPEG."))


def _office_type(data: bytes) -> str:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadFile(_("El archivo está dañado y no se puede leer.")) from exc
    with archive:
        if any(m.flag_bits & 0x1 for m in members):
            raise BadFile(_("El archivo está protegido con contraseña. Quite la contraseña y vuelva a cargarlo."))
        total = sum(m.file_size for m in members)
        packed = max(sum(m.compress_size for m in members), 1)
        # Per part and in all: many parts just under the per-part bound inflate as much as one big one.
        if total > MAX_UNCOMPRESSED_BYTES or (total > 10 * 1024 * 1024 and total > MAX_RATIO * packed) or any(
                m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members):
            raise BadFile(_("El archivo se descomprime a un tamaño desproporcionado y no se aceptará."))
        names = {m.filename for m in members}
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
        if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
            return "xlsx"
        if "mimetype" in names and "content.xml" in names:
            with archive.open("mimetype") as handle:
                if handle.read(100).strip() == TYPES["odt"].encode():
                    return "odt"
    raise _wrong_type()


def detect_type(data: bytes) -> str:
    """The extension of what `data` is (by its bytes), or BadFile."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    raise _wrong_type()


def safe_display_name(name: str, extension: str, fallback: str = "orientacion") -> str:
    """An ASCII file name without folders, with the extension of the detected type:
    "../../etc/Guía final.PDF.exe" → "guia-final-pdf.pdf"."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = slugify(stem)[:80].strip("-_") or fallback
    return f"{stem}.{extension}"


def check_guideline_file(upload) -> CheckedFile:
    """Read an upload (an UploadedFile or any file with `.name`/`.read()`), check it, and return
    the content to store with its facts. Raises BadFile with the Spanish reason."""
    max_bytes = settings.KNOWLEDGE_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None:
        check_size(size, max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    check_size(len(data), max_bytes)
    if not data:
        raise BadFile(_("El archivo está vacío."))
    extension = detect_type(data)
    storage_name = f"{uuid.uuid4().hex}.{extension}"
    return CheckedFile(
        content=ContentFile(data, name=storage_name), storage_name=storage_name, extension=extension,
        content_type=TYPES[extension], size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        display_name=safe_display_name(getattr(upload, "name", ""), extension),
    )


def download_name(title: str, number: int, extension: str) -> str:
    return f"{slugify(title)[:60].strip('-') or 'orientacion'}-v{number}.{extension}"


# --- A tiny PDF writer (demo data and tests; no binary files in the repository) --------------------


def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF (Helvetica, WinAnsi, so Spanish accents show) with a title and lines."""
    stream = [b"BT /F1 16 Tf 56 780 Td (" + _pdf_text(title) + b") Tj ET"]
    y = 750
    for line in lines[:40]:
        stream.append(b"BT /F1 11 Tf 56 %d Td (" % y + _pdf_text(line) + b") Tj ET")
        y -= 16
    content = b"\n".join(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
