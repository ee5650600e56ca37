"""The one exporter (apps/core/exports.py): Excel-ready CSV, XLSX with dates, no formula gets through."""

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest

from apps.core.exports import csv_bytes, csv_response, xlsx_bytes
from apps.core.text import safe_cell, unsafe_cell

BOGOTA = zoneinfo.ZoneInfo("America/Bogota")


@pytest.mark.parametrize("text", ["=1+1", "+57", "-2", "@SUM(A1)", "  =HYPERLINK(\"x\")", "\n=1", "\t1", "\r1",
                                  " \t @x", "\uff1d1"])
def test_every_formula_start_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["=1+1", "+57", "@SUM(A1)", "\t1", "'Catastro", "Catastro", "", "'"])
def test_unsafe_cell_undoes_exactly_what_safe_cell_added(text):
    # (A text typed as "'=1" comes back as "=1": the export could not tell them apart either.)
    assert unsafe_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["Catastro", "", "a=b", "5", 5, None, 1.5])
def test_other_values_pass_untouched(value):
    assert safe_cell(value) == value


def test_the_csv_has_a_bom_semicolons_safe_headers_and_comma_decimals():
    body = csv_bytes(["=HYPERLINK(\"http://malo\")", "valor"], [["  @x", 12.5], [None, True]])
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines == ["\"'=HYPERLINK(\"\"http://malo\"\")\";valor", "'  @x;12,5", ";sí"]


def test_csv_dates_are_iso_and_datetimes_local():
    moment = dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC)
    body = csv_bytes(["d", "t"], [[dt.date(2026, 3, 1), moment]]).decode("utf-8-sig")
    assert body.splitlines()[1] == "2026-03-01;2026-03-01 10:30"


def test_the_csv_response_streams_when_asked():
    response = csv_response("x.csv", ["a"], iter([["1"], ["2"]]), streaming=True)
    assert response.streaming
    assert b"".join(response.streaming_content).decode("utf-8-sig") == "a\r\n1\r\n2\r\n"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_xlsx_dates_are_dates_in_bogota_time_and_text_is_safe():
    moment = dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC)
    body = xlsx_bytes(["-cabecera", "fecha", "momento", "n"], [["=1", dt.date(2026, 3, 1), moment, Decimal("2.5")]],
                      preamble=[["Encuesta", "+x"]])
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert [c.value for c in sheet[1]][:2] == ["Encuesta", "'+x"]
    assert sheet["A2"].value == "'-cabecera"
    text, day, when, number = sheet[3]
    assert text.value == "'=1" and text.data_type == "s"
    assert day.is_date and day.value.date() == dt.date(2026, 3, 1)
    assert when.is_date and when.value.isoformat() == "2026-03-01T10:30:00"
    assert number.value == 2.5
