"""The upload guard every spreadsheet import goes through (apps/core/uploads.py)."""

import io
import os
import time

import pytest

from apps.core.uploads import BadFile, check_spreadsheet, csv_rows, decode_csv, parse_in_child, xlsx_first_sheet
from tests.spreadsheets import one_cell_xlsx

CAPS = {"max_bytes": 1024 * 1024, "max_rows": 5000, "max_cols": 100}


def test_it_refuses_a_sheet_that_declares_the_whole_grid_from_its_head(tmp_path):
    path = tmp_path / "grid.xlsx"
    path.write_bytes(one_cell_xlsx("XFD1048576"))
    assert path.stat().st_size < 5 * 1024
    with pytest.raises(BadFile) as info:
        check_spreadsheet(path, **CAPS)
    assert "La hoja llega hasta 1.048.576 filas (el máximo es 5.000) y 16.384 columnas" in str(info.value)


def test_it_refuses_the_far_cell_when_no_dimension_is_declared():
    upload = io.BytesIO(one_cell_xlsx("XFD1", dimension=False))
    with pytest.raises(BadFile, match="16.384 columnas"):
        check_spreadsheet(upload, **CAPS)
    with pytest.raises(BadFile, match="1.048.576 filas"):
        check_spreadsheet(io.BytesIO(one_cell_xlsx("A1048576", dimension=False)), **CAPS)


def test_it_lets_a_sheet_within_the_caps_through_and_rewinds_the_file():
    upload = io.BytesIO(one_cell_xlsx("CV5000"))
    assert check_spreadsheet(upload, **CAPS) == "xlsx"
    assert upload.tell() == 0
    assert check_spreadsheet(io.BytesIO(b"a;b\n1;2\n"), **CAPS) == "csv"


def test_it_refuses_a_format_the_caller_does_not_take():
    with pytest.raises(BadFile, match=r"debe ser \.csv"):
        check_spreadsheet(io.BytesIO(one_cell_xlsx("A1")), **CAPS, formats=("csv",))


def test_it_refuses_a_csv_with_too_many_lines():
    with pytest.raises(BadFile, match="máximo es 5.000"):
        check_spreadsheet(io.BytesIO(b"a\n" * 5002), **CAPS)


def test_a_cell_over_the_csv_field_limit_is_a_message_not_a_crash():
    text = "nombre,resumen\nuno," + "x" * (200 * 1024) + "\n"
    with pytest.raises(BadFile, match="supera el tamaño máximo de 128 KB"):
        list(csv_rows(text, max_cols=10))


def test_csv_rows_take_semicolons_and_refuse_wide_rows():
    assert list(csv_rows("a;b\n1;2\n", max_cols=2)) == [["a", "b"], ["1", "2"]]
    with pytest.raises(BadFile, match="La fila 2 tiene 3 columnas"):
        list(csv_rows("a,b\n1,2,3\n", max_cols=2))


def test_it_reads_utf8_with_and_without_bom_and_windows_1252():
    assert decode_csv("año;región\n".encode()) == "año;región\n"
    assert decode_csv("\ufeffaño\n".encode()) == "año\n"
    assert decode_csv("año;región\n".encode("cp1252")) == "año;región\n"
    with pytest.raises(BadFile, match="codificación"):
        decode_csv(b"a\x81\x8d\x8f\x90\n\xff\xfe")


def test_a_native_abort_in_the_child_is_a_message_and_this_process_lives():
    with pytest.raises(BadFile, match="demasiada memoria"):
        parse_in_child(os.abort)
    assert parse_in_child(len, "vivo") == 4


def test_a_memory_blow_up_in_the_child_is_a_message():
    with pytest.raises(BadFile, match="demasiada memoria"):
        parse_in_child(bytearray, 4 * 1024 ** 3, memory_limit_mb=512)


def test_a_parser_that_never_ends_is_abandoned():
    started = time.monotonic()
    with pytest.raises(BadFile, match="tarda demasiado"):
        parse_in_child(time.sleep, 30, timeout=1)
    assert time.monotonic() - started < 10


def test_openpyxl_reads_an_acceptable_sheet_in_the_child(tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(one_cell_xlsx("B2"))
    assert parse_in_child(xlsx_first_sheet, str(path)) == [[None, None], [None, "x"]]


def test_a_sheet_that_lies_about_its_dimension_is_stopped_by_the_child(tmp_path):
    from apps.surveys.reader import calamine_first_sheet

    path = tmp_path / "liar.xlsx"
    path.write_bytes(one_cell_xlsx("XFD1048576", declared="A1"))
    assert check_spreadsheet(path, **CAPS) == "xlsx"  # the head says one cell: the guard believes it
    with pytest.raises(BadFile, match="demasiada memoria"):
        parse_in_child(calamine_first_sheet, str(path), memory_limit_mb=512)
