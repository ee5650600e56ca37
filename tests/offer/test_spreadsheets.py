import csv
import datetime as dt
import io
import time

import openpyxl
import pytest

from apps.offer.models import Service
from tests.factories import org
from tests.offer.factories import ServiceFactory
from tests.spreadsheets import one_cell_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["nombre", "resumen", "sectores", "capacidades", "tipo", "modalidad", "dirigido_a", "todo_el_pais",
          "departamentos", "contacto_correo", "vigente_desde"]


def _csv(rows: list[list[str]]) -> io.BytesIO:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    upload.name = "servicios.csv"
    return upload


GOOD = ["Catastro para municipios", "Ruta para gestores catastrales.", "Hacienda; Planeación", "Técnica; gestion",
        "Acompañamiento / asesoría", "virtual", "Municipios", "sí", "", "att@minvivienda.gov.co", "2026-01-15"]


def test_the_export_follows_the_filters_and_neutralises_formulas(client):
    ServiceFactory(name="=HYPERLINK(\"http://malo\")", summary="+57 601 000", modality="virtual")
    ServiceFactory(name="Presencial", modality="presencial")
    response = client.get("/oferta/exportar/csv/", {"modality": "virtual"})
    assert response["Content-Disposition"].startswith('attachment; filename="oferta-att-')
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["nombre"] == "'=HYPERLINK(\"http://malo\")"
    assert rows[0]["resumen"] == "'+57 601 000"
    assert rows[0]["modalidad"] == "Virtual" and rows[0]["todo_el_pais"] == "sí"


def test_the_xlsx_export_is_a_real_workbook_with_safe_cells(client):
    ServiceFactory(name="@SUM(A1)", sectors=["vivienda", "ambiente"])
    response = client.get("/oferta/exportar/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["nombre"] == "'@SUM(A1)"
    assert row["sectores"] == "Ambiente y Desarrollo Sostenible; Vivienda, Ciudad y Territorio"


def test_the_xlsx_export_has_real_dates_and_safe_cells_after_white_space(client):
    ServiceFactory(name="  =1+1", summary="\n-2", valid_from=dt.date(2026, 1, 15))
    response = client.get("/oferta/exportar/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert row["nombre"].value == "'  =1+1" and row["resumen"].value == "'\n-2"
    assert row["vigente_desde"].is_date and row["vigente_desde"].value.date() == dt.date(2026, 1, 15)


def test_the_export_never_leaks_drafts(client):
    ServiceFactory(name="Secreto", status="borrador")
    assert "Secreto" not in client.get("/oferta/exportar/csv/").content.decode("utf-8-sig")


def test_import_previews_then_saves_drafts_of_the_importers_entity(client_as, nina):
    client = client_as(nina)
    second = [*GOOD]
    second[0] = "Mesa técnica de catastro"
    response = client.post("/oferta/importar/", {"file": _csv([GOOD, second])})
    html = response.content.decode()
    assert "Vista previa" in html and "Importar 2 servicios" in html
    assert not Service.objects.exists()  # the preview saves nothing
    response = client.post("/oferta/importar/", {"confirm": "1"})
    assert response.status_code == 302
    services = Service.objects.order_by("name")
    assert [s.name for s in services] == ["Catastro para municipios", "Mesa técnica de catastro"]
    first = services[1]
    assert first.organization == nina.organization and first.status == Service.Status.DRAFT
    assert first.capacities == ["gestion", "tecnica"]
    assert sorted(first.sectors.values_list("slug", flat=True)) == ["hacienda", "planeacion"]
    assert first.history.first().history_user == nina


def test_import_shows_row_level_errors_and_saves_nothing(client_as, nina):
    bad_sector, bad_type, not_nationwide = [*GOOD], [*GOOD], [*GOOD]
    bad_sector[2] = "Astronomía"
    bad_type[4] = "Telepatía"
    not_nationwide[7] = "no"
    response = client_as(nina).post("/oferta/importar/", {"file": _csv([GOOD, bad_sector, bad_type, not_nationwide])})
    errors = response.context["errors"]
    assert {(e["line"], e["column"]) for e in errors} == {(3, "sectores"), (4, "tipo"), (5, "departamentos")}
    assert any("No se reconoce: Astronomía" in e["message"] for e in errors)
    assert "Importar" not in response.content.decode().split("Vista previa")[-1].split("</table>")[-1]
    assert client_as(nina).post("/oferta/importar/", {"confirm": "1"}).status_code == 302
    assert not Service.objects.exists()


def test_an_id_column_cannot_touch_another_entitys_service(client_as, nico):
    theirs = ServiceFactory(name="De MinVivienda")
    out = io.StringIO()
    csv.writer(out).writerows([["id", *HEADER], [theirs.pk, *GOOD]])
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "x.csv"
    client = client_as(nico)
    response = client.post("/oferta/importar/", {"file": upload})
    assert [(e["line"], e["message"]) for e in response.context["errors"]] == [
        (2, f"Su entidad no tiene un servicio con id «{theirs.pk}». Deje la columna id vacía para crear un "
            "servicio nuevo.")]
    client.post("/oferta/importar/", {"confirm": "1"})
    theirs.refresh_from_db()
    assert theirs.name == "De MinVivienda" and theirs.organization == org("MinVivienda")
    assert Service.objects.count() == 1


def test_re_importing_the_exported_catalogue_updates_instead_of_duplicating(client_as, nina):
    original = ServiceFactory(name="Original", organization=nina.organization, status="publicado",
                              capacities=["planeacion", "tecnica"], nationwide=False, departments=["25"])
    client = client_as(nina)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/oferta/exportar/xlsx/").content))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("resumen") + 1, value="Resumen corregido en Excel.")
    content = io.BytesIO()
    workbook.save(content)
    upload = io.BytesIO(content.getvalue())
    upload.name = "catalogo.xlsx"
    response = client.post("/oferta/importar/", {"file": upload})
    assert response.context["errors"] == [], response.context["errors"]
    response = client.post("/oferta/importar/", {"confirm": "1"}, follow=True)
    assert "Se crearon 0 servicios como borradores y se actualizaron 1." in response.content.decode()
    assert Service.objects.count() == 1
    original.refresh_from_db()
    assert original.summary == "Resumen corregido en Excel." and original.status == "publicado"
    assert original.capacities == ["planeacion", "tecnica"]
    assert list(original.departments.values_list("code", flat=True)) == ["25"]
    assert original.history.first().history_user == nina


def test_an_edited_export_imports_back_without_the_formula_guards_apostrophe(client_as, nina):
    # The export writes "+57 601…" as "'+57 601…" so no spreadsheet runs it; importing the file
    # back must not keep the apostrophe in the service.
    original = ServiceFactory(name="Original", organization=nina.organization, summary="+57 601 000",
                              contact_phone="+57 601 3815000")
    client = client_as(nina)
    text = client.get("/oferta/exportar/csv/").content.decode("utf-8-sig")
    assert "'+57 601 000" in text
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "catalogo.csv"
    response = client.post("/oferta/importar/", {"file": upload})
    assert response.context["errors"] == [], response.context["errors"]
    client.post("/oferta/importar/", {"confirm": "1"})
    original.refresh_from_db()
    assert (original.summary, original.contact_phone) == ("+57 601 000", "+57 601 3815000")


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_municipal_editors_cannot_import(request, client_as, persona):
    assert client_as(request.getfixturevalue(persona)).get("/oferta/importar/").status_code == 403


def test_it_refuses_other_file_types(client_as, nina):
    upload = io.BytesIO(b"hola")
    upload.name = "x.pdf"
    response = client_as(nina).post("/oferta/importar/", {"file": upload})
    assert "El archivo debe ser .xlsx o .csv." in response.content.decode()


def _upload(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_the_one_cell_workbook_spanning_the_grid_gets_a_message_fast(client_as, nina):
    # openpyxl padded this 5 KB file's rows to 16,384 columns and the web process grew past 5 GB.
    client = client_as(nina)
    started = time.monotonic()
    response = client.post("/oferta/importar/", {"file": _upload(one_cell_xlsx("XFD1048576"), "x.xlsx")})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "La hoja llega hasta 1.048.576 filas" in response.content.decode()
    assert client.get("/oferta/importar/").status_code == 200
    assert not Service.objects.exists()


def test_a_csv_cell_over_128_kib_gets_a_message(client_as, nina):
    long_summary = [*GOOD]
    long_summary[1] = "x" * (200 * 1024)
    response = client_as(nina).post("/oferta/importar/", {"file": _csv([long_summary])})
    assert response.status_code == 200
    assert "supera el tamaño máximo de 128 KB" in response.content.decode()


def test_a_windows_1252_csv_with_semicolons_imports_with_its_accents(client_as, nina):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([HEADER, GOOD])
    client = client_as(nina)
    response = client.post("/oferta/importar/", {"file": _upload(out.getvalue().encode("cp1252"), "excel.csv")})
    assert response.context["errors"] == []
    client.post("/oferta/importar/", {"confirm": "1"})
    service = Service.objects.get()
    assert service.name == "Catastro para municipios" and service.assistance_type == "acompanamiento"
    assert sorted(service.sectors.values_list("slug", flat=True)) == ["hacienda", "planeacion"]
