"""The coordinators' pages: upload with preview, confirm, progress, results, exports."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from apps.surveys.models import ImportBatch, Submission, Survey
from apps.surveys.services import progress_key
from tests.surveys.conftest import SAMPLES, survey
from tests.surveys.helpers import row_for, sample_rows, write_csv

pytestmark = pytest.mark.django_db

SLUG = "departamentos-2021-2"
PAGES = ["/encuestas/", f"/encuestas/{SLUG}/importar/", f"/encuestas/{SLUG}/resultados/",
         f"/encuestas/{SLUG}/resultados.csv"]


def _upload(slug: str = SLUG, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or f"{slug}.xlsx", (SAMPLES / f"{slug}.xlsx").read_bytes())


@pytest.mark.parametrize(("persona", "status"), [
    (None, 302), ("alice", 403), ("dora", 403), ("nina", 403), ("carla", 200), ("adam", 200),
])
def test_only_coordinators_and_admins_open_the_survey_pages(persona, status, client_as, request):
    client = client_as(request.getfixturevalue(persona) if persona else None)
    for url in PAGES:
        assert client.get(url).status_code == status, url


def test_a_coordinator_previews_confirms_and_sees_the_results(client_as, carla, django_capture_on_commit_callbacks):
    client = client_as(carla)
    response = client.post(f"/encuestas/{SLUG}/importar/", {"file": _upload()})
    html = response.content.decode()
    assert "14 filas serán aceptadas" in html and "1 fila rechazada" in html
    assert "El departamento «Departamento de Prueba» no existe en DIVIPOLA." in html
    assert not Submission.objects.exists()  # a preview writes no survey data
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEW

    with django_capture_on_commit_callbacks(execute=True):  # Celery runs eagerly here
        response = client.post(f"/encuestas/importaciones/{batch.pk}/confirmar/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and survey(SLUG).current_batch == batch
    page = client.get(response.url).content.decode()
    assert "Importación terminada: 14 filas aceptadas y 1 rechazadas." in page
    assert "Departamento de Prueba" in page

    results = client.get(f"/encuestas/{SLUG}/resultados/").content.decode()
    assert "9 entidades · 14 respuestas aceptadas · 1 filas rechazadas" in results
    assert results.count("<path ") == 33  # the map: one path per department
    submission_view = client.get(f"/encuestas/{SLUG}/resultados/", {"unit": "submission"}).content.decode()
    assert "9 respondieron" in results and "Sí</span>" in results and "7 (77,8 %)" in results
    assert "13 respondieron" in submission_view and "6 (46,2 %)" in submission_view


def test_confirming_twice_imports_once(client_as, carla, django_capture_on_commit_callbacks):
    client = client_as(carla)
    client.post(f"/encuestas/{SLUG}/importar/", {"file": _upload()})
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/encuestas/importaciones/{batch.pk}/confirmar/")
    assert Submission.objects.count() == 14
    ids = list(Submission.objects.values_list("pk", flat=True))
    response = client.post(f"/encuestas/importaciones/{batch.pk}/confirmar/", follow=True)
    assert "ya fue confirmada" in response.content.decode()
    assert list(Submission.objects.values_list("pk", flat=True)) == ids


def test_previewing_the_file_already_imported_says_so_and_keeps_nothing(client_as, carla, import_sample):
    import_sample(SLUG)
    html = client_as(carla).post(f"/encuestas/{SLUG}/importar/", {"file": _upload()}).content.decode()
    assert "Este archivo ya está importado" in html
    assert "Confirmar importación" not in html
    assert ImportBatch.objects.count() == 1


def test_a_preview_can_be_discarded(client_as, carla):
    client = client_as(carla)
    client.post(f"/encuestas/{SLUG}/importar/", {"file": _upload()})
    batch = ImportBatch.objects.get()
    client.post(f"/encuestas/importaciones/{batch.pk}/descartar/")
    assert not ImportBatch.objects.exists()


def test_the_progress_fragment_polls_while_importing_and_stops_when_done(client_as, carla):
    client = client_as(carla)
    client.post(f"/encuestas/{SLUG}/importar/", {"file": _upload()})
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    from django.core.cache import cache

    cache.set(progress_key(batch.pk), 40)
    fragment = client.get(f"/encuestas/importaciones/{batch.pk}/progreso/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="40"' in fragment
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE)
    fragment = client.get(f"/encuestas/importaciones/{batch.pk}/progreso/").content.decode()
    assert "hx-trigger" not in fragment and "Ver resultados" in fragment


def test_results_export_to_csv_and_xlsx(client_as, carla, import_sample):
    import_sample("departamentos-2021-1")
    client = client_as(carla)
    csv_text = client.get("/encuestas/departamentos-2021-1/resultados.csv").content.decode("utf-8-sig")
    assert "D101;¿El departamento tiene conformado un equipo" in csv_text
    assert "Entidades;25" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/encuestas/departamentos-2021-1/resultados.xlsx",
                                                   {"unit": "submission"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert ("Respuestas aceptadas", 36) in [r[:2] for r in rows]
    d102 = [r for r in rows if r[0] == "D102"]
    assert [(r[3], r[4]) for r in d102][0][1] > 0
    assert client.get("/encuestas/departamentos-2021-1/resultados.pdf").status_code == 404


def test_rejected_rows_download_for_correction(client_as, carla, import_sample):
    outcome = import_sample("municipios-2021")
    url = f"/encuestas/importaciones/{outcome.batch.pk}/rechazadas.csv"
    text = client_as(carla).get(url).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 15 and lines[0].startswith("Fila;Motivo;Id;")


def test_the_municipal_results_break_down_by_department(client_as, carla, import_sample):
    import_sample("municipios-2021")
    html = client_as(carla).get("/encuestas/municipios-2021/resultados/", {"pregunta": "M02"}).content.decode()
    assert "Por departamento" in html
    assert '<option value="M02" selected>' in html
    assert "Cundinamarca" in html


def test_the_results_page_runs_constant_queries(client_as, carla, tmp_path, django_assert_num_queries):
    from apps.surveys.services import survey_import_file

    slug = "municipios-2021"
    header = sample_rows(slug)[0]
    one = [header, row_for(header, {"Id": 1, "Hora de finalización": "21/10/2021 08:00:00",
                                    "Departamento": "Meta", "Municipio": "Puerto López",
                                    "¿Durante el año 2021 su entidad recibió asistencia técnica por parte "
                                    "del nivel nacional?": "Sí"})]
    client = client_as(carla)
    client.get(f"/encuestas/{slug}/resultados/")  # warm the session and the map
    survey_import_file(survey=survey(slug), path=write_csv(tmp_path / "one.csv", one))
    # session, user, survey, questions, options, totals, rejected, counts, respondents by
    # department (map and breakdown), breakdown counts, the user's organisation (navigation), the
    # unread notices (menu)
    with django_assert_num_queries(12):
        client.get(f"/encuestas/{slug}/resultados/")
    survey_import_file(survey=survey(slug), path=SAMPLES / f"{slug}.xlsx")
    with django_assert_num_queries(12):
        client.get(f"/encuestas/{slug}/resultados/")


def test_the_upload_page_lists_previous_imports(client_as, carla, import_sample):
    outcome = import_sample(SLUG)
    html = client_as(carla).get(f"/encuestas/{SLUG}/importar/").content.decode()
    assert f'href="/encuestas/importaciones/{outcome.batch.pk}/"' in html and "vigente" in html


def test_the_upload_page_names_every_csv_the_reader_accepts(client_as, carla):
    # apps.core.uploads reads UTF-8 or Windows-1252, split by `,` or `;`: the page says so.
    html = client_as(carla).get(f"/encuestas/{SLUG}/importar/").content.decode()
    assert "CSV UTF-8." not in html
    assert "Excel en Windows" in html and "punto y coma" in html


def test_rejected_rows_never_give_back_a_formula_even_in_the_uploaded_headers(client_as, carla, tmp_path):
    from apps.surveys.services import survey_import_file

    slug = "departamentos-2021-2"
    rows = sample_rows(slug)
    rows[0].append("=HYPERLINK(\"http://malo\")")
    rows[1][rows[0].index("Departamento")] = "Atlántida"
    rows[1].append(" @SUM(1)")
    outcome = survey_import_file(survey=Survey.objects.get(slug=slug), path=write_csv(tmp_path / "x.csv", rows))
    url = f"/encuestas/importaciones/{outcome.batch.pk}/rechazadas.csv"
    text = client_as(carla).get(url).content.decode("utf-8-sig")
    header, first = list(csv.reader(io.StringIO(text), delimiter=";"))[:2]
    column = header.index("'=HYPERLINK(\"http://malo\")")  # PostgreSQL's jsonb keeps no key order
    assert first[column] == "'@SUM(1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header + first)
