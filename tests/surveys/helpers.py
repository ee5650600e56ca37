"""Small export files built in tests (CSV and XLSX) from the 2021 samples or from scratch."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from apps.core.text import normalize
from tests.surveys.conftest import SAMPLES


def sample_rows(slug: str) -> list[list]:
    rows = CalamineWorkbook.from_path(str(SAMPLES / f"{slug}.xlsx")).get_sheet_by_index(0).to_python()
    return [r for r in rows if any(c not in ("", None) for c in r)]


def _cell(value):
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_csv(path: Path, rows: list[list], *, bom: bool = True) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_cell(c) for c in row])
    path.write_bytes((("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def row_for(header: list, values: dict) -> list:
    """A row with `values` under the headers given, blank elsewhere."""
    positions = {normalize(h): i for i, h in enumerate(header)}
    row = [""] * len(header)
    for name, value in values.items():
        row[positions[normalize(name)]] = value
    return row
