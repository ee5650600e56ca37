"""Progress of many commitments from a spreadsheet keyed by id: preview with row errors in Spanish,
confirm applies, the same file again changes nothing, hostile files are refused."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from apps.core.uploads import BadFile
from apps.knowledge.imports_commitments import import_apply, import_plan
from apps.knowledge.models import Commitment, CommitmentProgress
from tests.knowledge.commitment_factories import CommitmentFactory
from tests.spreadsheets import one_cell_xlsx

pytestmark = pytest.mark.django_db
S = Commitment.Status
URL = "/conocimiento/compromisos/importar/"


def _csv(rows: list[list], header=("id", "estado", "nota")) -> bytes:
    lines = [";".join(header)] + [";".join(str(c) for c in row) for row in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def _xlsx(rows: list[list], header=("id", "compromiso", "estado", "nota", "fecha límite")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_preview_then_confirm_applies_and_the_same_file_again_changes_nothing(client_as, nina):
    first, second = CommitmentFactory(), CommitmentFactory()
    new_due = timezone.localdate() + timedelta(days=40)
    content = _xlsx([[first.pk, first.text, "En curso", "Contratado el estudio", new_due],
                     [second.pk, second.text, "cumplido", "Entregado el 3 de marzo", None]])
    client = client_as(nina)
    preview = client.post(URL, {"file": SimpleUploadedFile("avance.xlsx", content)})
    page = preview.content.decode()
    assert 'id="import-preview"' in page and "Registrar 2 avances" in page
    assert Commitment.objects.filter(status=S.PENDING).count() == 2  # nothing saved yet
    done = client.post(URL, {"confirm": "1"}, follow=True)
    assert "Se registraron 2 avances" in done.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.due_on, second.status) == (S.IN_PROGRESS, new_due, S.DONE)
    notes = CommitmentProgress.objects.count()

    again = client.post(URL, {"file": SimpleUploadedFile("avance.xlsx", content)}).content.decode()
    assert 'id="import-nothing"' in again and "Registrar" not in again
    assert import_apply(user=nina, content=content) == 0
    # Even after a later change on the page, the same file does not write its rows again.
    from apps.knowledge.services import commitment_update_status

    commitment_update_status(user=nina, commitment=first, status=S.DONE, note="Terminado.")
    assert import_apply(user=nina, content=content) == 0
    assert CommitmentProgress.objects.count() == notes + 1


def test_the_unchanged_export_imports_as_nothing_to_do(client_as, nina):
    CommitmentFactory(due_on=date(2027, 5, 3))
    CommitmentFactory(status=S.IN_PROGRESS, first_note="Va por la mitad")
    client = client_as(nina)
    export = client.get(reverse("knowledge:commitments_export"), {"mios": "1", "formato": "xlsx"}).content
    rows = import_plan(user=nina, content=export)
    assert len(rows) == 2 and not any(r.error or r.changes for r in rows)


def test_row_errors_are_in_spanish_and_nothing_is_saved(client_as, nina, bob):
    mine = CommitmentFactory()
    theirs = CommitmentFactory(responsible="ANM", municipality_id="05001", department_id="05")
    done = CommitmentFactory(status=S.DONE)
    content = _csv([[mine.pk, "hecho", "Listo"], [theirs.pk, "cumplido", "Listo"], [999999, "cumplido", "x"],
                    ["abc", "cumplido", "x"], [done.pk, "descartado", "No va"], [mine.pk, "en curso", ""],
                    ["9" * 40, "cumplido", "x"]])
    rows = import_plan(user=nina, content=content)
    errors = {r.line: r.error for r in rows}
    assert "Estado «hecho» no válido" in errors[2]
    assert errors[3] == f"Compromiso «{theirs.pk}» no encontrado."  # not yours = missing
    assert errors[4] == "Compromiso «999999» no encontrado."
    assert "no encontrado" in errors[5] and "no encontrado" in errors[8]
    assert "no puede pasar a descartado" in errors[6]
    assert "Escriba una nota" in errors[7]
    page = client_as(nina).post(URL, {"file": SimpleUploadedFile("a.csv", content)}).content.decode()
    assert 'id="import-errors"' in page and "Registrar" not in page
    with pytest.raises(BadFile):
        import_apply(user=nina, content=content)
    assert CommitmentProgress.objects.count() == 3


def test_an_id_twice_in_one_file_is_a_row_error(nina):
    commitment = CommitmentFactory()
    rows = import_plan(user=nina, content=_csv([[commitment.pk, "en curso", "a"], [commitment.pk, "cumplido", "b"]]))
    assert "aparece dos veces" in rows[1].error


def test_a_note_only_row_keeps_the_status_and_a_bad_date_is_an_error(nina):
    commitment = CommitmentFactory(status=S.IN_PROGRESS)
    content = _csv([[commitment.pk, "", "Segunda reunión hecha", ""]], header=("id", "estado", "nota", "fecha límite"))
    assert import_apply(user=nina, content=content) == 1
    assert commitment.progress.order_by("-id").first().to_status == S.IN_PROGRESS
    bad = _csv([[commitment.pk, "", "x", "mañana"]], header=("id", "estado", "nota", "fecha límite"))
    assert "Fecha límite no válida" in import_plan(user=nina, content=bad)[0].error


def test_missing_columns_are_named(nina):
    with pytest.raises(BadFile, match="Faltan columnas: estado, nota"):
        import_plan(user=nina, content=_csv([[1]], header=("id",)))


@pytest.mark.parametrize(("content", "message"), [
    (one_cell_xlsx("XFD1048576"), "La hoja llega hasta"),
    (b"%PDF-1.4 not a sheet", "no es una hoja de cálculo"),
    (b"", "El archivo enviado está"),
    (b"PK\x03\x04garbage", "dañado"),
])
def test_hostile_files_are_refused_with_a_plain_message(client_as, nina, content, message):
    response = client_as(nina).post(URL, {"file": SimpleUploadedFile("avance.xlsx", content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CommitmentProgress.objects.count() == 0


def test_a_formula_in_a_note_is_stored_as_text_and_exported_safe(client_as, nina):
    commitment = CommitmentFactory()
    assert import_apply(user=nina, content=_csv([[commitment.pk, "en curso", "=1+1"]])) == 1
    assert commitment.progress.order_by("-id").first().note == "=1+1"
    csv = b"".join(client_as(nina).get(reverse("knowledge:commitments_export"),
                                       {"mios": "1", "formato": "csv"}).streaming_content).decode()
    assert "'=1+1" in csv


def test_the_preview_expires_without_the_upload(client_as, nina):
    response = client_as(nina).post(URL, {"confirm": "1"}, follow=True)
    assert "La vista previa expiró" in response.content.decode()


def test_vencido_with_a_future_date_is_a_row_error(nina):
    commitment = CommitmentFactory(status=S.OVERDUE, due_on=timezone.localdate() - timedelta(days=1))
    later = (timezone.localdate() + timedelta(days=9)).isoformat()
    content = _csv([[commitment.pk, "vencido", "Prórroga", later]], header=("id", "estado", "nota", "fecha límite"))
    assert "no está vencido" in import_plan(user=nina, content=content)[0].error


def test_ids_in_other_digits_are_not_found_not_a_server_error(client_as, nina):
    """"²" passes str.isdigit() and broke int() (a 500); "١" (Arabic one) read as commitment 1."""
    commitment = CommitmentFactory()
    content = _csv([["²", "en curso", "x"], ["١", "en curso", "x"], [f"{commitment.pk}²", "en curso", "x"]])
    response = client_as(nina).post(URL, {"file": SimpleUploadedFile("avance.csv", content)})
    assert response.status_code == 200 and 'id="import-errors"' in response.content.decode()
    assert [r.error for r in import_plan(user=nina, content=content)] == [
        "Compromiso «²» no encontrado.", "Compromiso «١» no encontrado.",
        f"Compromiso «{commitment.pk}²» no encontrado."]
