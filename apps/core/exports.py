"""One exporter for every download: CSV that Excel opens right in Colombia, and XLSX with real dates.

- CSV: UTF-8 with a BOM and `;` between cells (Excel with a Spanish/Colombian locale splits on
  `;` and reads a comma as the decimal mark, so decimals are written with a comma too); dates as
  ISO text, datetimes in America/Bogota. Streamed when the caller passes an iterator.
- XLSX: dates and datetimes as real Excel dates (timezone-naive, local time), numbers as numbers.
- Both: every text cell, headers included, passes through `safe_cell` (OWASP CSV injection).
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from apps.core.text import safe_cell

CSV_DELIMITER = ";"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return safe_cell(str(value))


def xlsx_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return value
    return safe_cell(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable], *, preamble: Iterable[Iterable] = ()) -> Iterator[str]:
    """The CSV's text piece by piece: the BOM, the preamble lines, the header, the rows."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield BOM
    for line in preamble:
        yield writer.writerow([csv_value(c) for c in line])
    yield writer.writerow([csv_value(c) for c in header])
    for row in rows:
        yield writer.writerow([csv_value(c) for c in row])


def csv_bytes(header: Iterable, rows: Iterable[Iterable], *, preamble: Iterable[Iterable] = ()) -> bytes:
    return "".join(csv_lines(header, rows, preamble=preamble)).encode("utf-8")


def xlsx_bytes(header: Iterable, rows: Iterable[Iterable], *, sheet_title: str = "Datos",
               preamble: Iterable[Iterable] = ()) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    for line in preamble:
        sheet.append([xlsx_value(c) for c in line])
    sheet.append([xlsx_value(c) for c in header])
    for row in rows:
        sheet.append([xlsx_value(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attach(response: HttpResponse | StreamingHttpResponse, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable], *,
                 preamble: Iterable[Iterable] = (), streaming: bool = False) -> HttpResponse | StreamingHttpResponse:
    """A CSV download; `streaming=True` sends rows as they are produced (pass an iterator)."""
    if streaming:
        return _attach(StreamingHttpResponse(csv_lines(header, rows, preamble=preamble),
                                             content_type=CSV_CONTENT_TYPE), filename)
    return _attach(HttpResponse(csv_bytes(header, rows, preamble=preamble), content_type=CSV_CONTENT_TYPE),
                   filename)


def xlsx_response(filename: str, header: Iterable, rows: Iterable[Iterable], *, sheet_title: str = "Datos",
                  preamble: Iterable[Iterable] = ()) -> HttpResponse:
    body = xlsx_bytes(header, rows, sheet_title=sheet_title, preamble=preamble)
    return _attach(HttpResponse(body, content_type=XLSX_CONTENT_TYPE), filename)
