"""Bad files get a clear Spanish message and change nothing."""

import time
import zipfile

import pytest

from apps.surveys.models import ImportBatch, Submission
from apps.surveys.reader import BadFile
from apps.surveys.selectors import survey_results
from apps.surveys.services import survey_import_file
from tests.spreadsheets import one_cell_xlsx
from tests.surveys.conftest import SAMPLES, survey
from tests.surveys.helpers import sample_rows, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

SLUG = "departamentos-2021-2"


@pytest.fixture
def imported(import_sample):
    import_sample(SLUG)
    return survey_results(user=None, survey=survey(SLUG), unit="submission")


def _refused(path, imported, message: str) -> None:
    with pytest.raises(BadFile) as info:
        survey_import_file(survey=survey(SLUG), path=path)
    assert message in str(info.value)
    assert ImportBatch.objects.count() == 1
    assert survey_results(user=None, survey=survey(SLUG), unit="submission") == imported


def test_it_refuses_a_file_that_is_not_a_spreadsheet(tmp_path, imported):
    pdf = tmp_path / "informe.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    _refused(pdf, imported, "no es una hoja de cálculo")
    docx = tmp_path / "carta.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    _refused(docx, imported, "no es un libro de Excel")


def test_it_refuses_a_corrupt_xlsx(tmp_path, imported):
    data = (SAMPLES / f"{SLUG}.xlsx").read_bytes()
    truncated = tmp_path / "cortado.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    _refused(truncated, imported, "está dañado")
    garbage = tmp_path / "basura.xlsx"
    with zipfile.ZipFile(garbage, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not-xml")
        archive.writestr("xl/workbook.xml", "<<<")
    _refused(garbage, imported, "dañado")


def test_it_refuses_a_password_protected_xlsx(tmp_path, imported):
    # Excel stores an encrypted workbook as an OLE2 compound file with an EncryptedPackage stream.
    protected = tmp_path / "protegido.xlsx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"))
    _refused(protected, imported, "protegido con contraseña")


def test_it_refuses_a_file_over_the_size_limit(tmp_path, imported, settings):
    settings.SURVEY_UPLOAD_MAX_BYTES = 5 * 1024
    _refused(SAMPLES / f"{SLUG}.xlsx", imported, "El archivo pesa 8 KB y el máximo permitido es 5 KB.")


def test_it_refuses_a_compressed_bomb_without_inflating_it(tmp_path, imported):
    bomb = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 * 1024 * 1024))
    assert bomb.stat().st_size < 20_000
    _refused(bomb, imported, "bomba de compresión")


def test_it_names_the_missing_required_columns(tmp_path, imported):
    rows = sample_rows(SLUG)
    header = rows[0]
    drop = {header.index("Departamento"), header.index("¿La asistencia técnica hace parte de algún plan o programa?")}
    path = write_csv(tmp_path / "sin-columnas.csv", [[c for i, c in enumerate(r) if i not in drop] for r in rows])
    _refused(path, imported, "Faltan columnas obligatorias: «Departamento», "
                             "«¿La asistencia técnica hace parte de algún plan o programa?».")


def test_it_refuses_an_empty_sheet_and_a_sheet_with_only_headers(tmp_path, imported):
    _refused(write_xlsx(tmp_path / "vacio.xlsx", []), imported, "La hoja está vacía")
    _refused(write_csv(tmp_path / "vacio.csv", [], bom=False), imported, "vacío")
    _refused(write_xlsx(tmp_path / "encabezados.xlsx", sample_rows(SLUG)[:1]), imported, "solo encabezados")


def test_it_refuses_the_one_cell_workbook_that_spans_the_whole_grid_fast(tmp_path, imported):
    # calamine aborted the whole process on this 5 KB file (a native abort Python cannot catch).
    hostile = tmp_path / "rejilla.xlsx"
    hostile.write_bytes(one_cell_xlsx("XFD1048576"))
    started = time.monotonic()
    _refused(hostile, imported, "La hoja llega hasta 1.048.576 filas")
    assert time.monotonic() - started < 5
    hidden = tmp_path / "sin-dimension.xlsx"
    hidden.write_bytes(one_cell_xlsx("XFD1048576", dimension=False))
    _refused(hidden, imported, "La hoja llega hasta")


def test_it_refuses_a_csv_cell_over_128_kib_with_a_message(tmp_path, imported):
    rows = sample_rows(SLUG)
    rows[1][-1] = "x" * (200 * 1024)
    _refused(write_csv(tmp_path / "larga.csv", rows), imported, "supera el tamaño máximo de 128 KB")


def test_a_windows_1252_csv_gives_the_same_figures_as_the_xlsx(tmp_path, imported):
    write_csv(tmp_path / "utf8.csv", sample_rows(SLUG), bom=False)
    cp1252 = tmp_path / "excel.csv"
    cp1252.write_bytes((tmp_path / "utf8.csv").read_text(encoding="utf-8").encode("cp1252"))
    outcome = survey_import_file(survey=survey(SLUG), path=cp1252, dry_run=True)
    assert outcome.result.file_format == "csv"
    assert len(outcome.result.accepted) == imported["submissions"]
    assert len(outcome.result.rejected) == imported["rejected"]


def test_the_upload_page_shows_the_message_and_writes_nothing(client_as, carla, imported, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(carla)
    upload = SimpleUploadedFile("informe.pdf", b"%PDF-1.7 no", content_type="application/pdf")
    response = client.post(f"/encuestas/{SLUG}/importar/", {"file": upload})
    assert response.status_code == 200
    assert "no es una hoja de cálculo" in response.content.decode()
    assert ImportBatch.objects.count() == 1
    assert Submission.objects.filter(survey__slug=SLUG).count() == imported["submissions"]


def test_the_upload_page_refuses_a_file_over_the_limit(client_as, carla, imported, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SURVEY_UPLOAD_MAX_BYTES = 2 * 1024
    upload = SimpleUploadedFile("grande.xlsx", (SAMPLES / f"{SLUG}.xlsx").read_bytes())
    html = client_as(carla).post(f"/encuestas/{SLUG}/importar/", {"file": upload}).content.decode()
    assert "El archivo pesa 8 KB y el máximo permitido es 2 KB." in html
    assert ImportBatch.objects.count() == 1


def test_the_upload_page_answers_the_hostile_workbook_with_a_message(client_as, carla, imported):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(carla)
    upload = SimpleUploadedFile("rejilla.xlsx", one_cell_xlsx("XFD1048576"))
    response = client.post(f"/encuestas/{SLUG}/importar/", {"file": upload})
    assert response.status_code == 200
    assert "La hoja llega hasta 1.048.576 filas" in response.content.decode()
    assert client.get(f"/encuestas/{SLUG}/importar/").status_code == 200
    assert ImportBatch.objects.count() == 1
