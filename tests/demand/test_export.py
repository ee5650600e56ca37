"""The inbox export: Excel-ready CSV (`;`, BOM, streamed) and XLSX with real dates, every cell formula-safe."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.demand.factories import NeedFactory

pytestmark = pytest.mark.django_db


def test_the_csv_opens_in_a_colombian_excel_and_neutralises_cells_after_white_space(client_as, carla):
    NeedFactory(topic="  =HYPERLINK(\"http://x\")", problem="\n+1", window_start=dt.date(2026, 2, 3),
                submitted_at=dt.datetime(2026, 2, 1, 20, 15, tzinfo=dt.UTC))
    response = client_as(carla).get("/solicitudes/bandeja/exportar/?format=csv")
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    row = dict(zip(header, row, strict=True))
    assert row["Tema"] == "'  =HYPERLINK(\"http://x\")" and row["Problema"] == "'\n+1"
    assert row["Desde"] == "2026-02-03" and row["Radicada el"] == "2026-02-01 15:15"


def test_the_xlsx_has_real_dates_in_bogota_time(client_as, carla):
    NeedFactory(window_start=dt.date(2026, 2, 3), submitted_at=dt.datetime(2026, 2, 1, 20, 15, tzinfo=dt.UTC))
    response = client_as(carla).get("/solicitudes/bandeja/exportar/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert row["Desde"].is_date and row["Desde"].value.date() == dt.date(2026, 2, 3)
    assert row["Radicada el"].is_date and row["Radicada el"].value.isoformat() == "2026-02-01T15:15:00"
