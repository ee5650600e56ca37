"""The importer: headers in any order, names typed loosely, latest submission, idempotence, replace."""

import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.surveys.models import Answer, ImportBatch, RejectedRow, ResultCount, Submission
from apps.surveys.selectors import survey_results
from apps.surveys.services import survey_import_file
from tests.surveys.conftest import SAMPLES, expected, survey
from tests.surveys.helpers import row_for, sample_rows, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

SLUG = "departamentos-2021-1"


def _messy(header: str) -> str:
    """What people and Microsoft Forms do to headers: case, accents, doubled and non-breaking spaces."""
    text = header.upper().replace("Ó", "O").replace("É", "E").replace(" ", "\u00a0 ", 1)
    return f"  {text} "


@pytest.mark.parametrize("bom", [True, False])
def test_it_reads_a_csv_with_shuffled_messy_headers_like_the_xlsx(tmp_path, bom):
    rows = sample_rows(SLUG)
    order = list(range(len(rows[0])))
    random.Random(7).shuffle(order)
    shuffled = [[_messy(rows[0][i]) for i in order]] + [[row[i] for i in order] for row in rows[1:]]
    path = write_csv(tmp_path / "export.csv", shuffled, bom=bom)
    survey_import_file(survey=survey(SLUG), path=path)
    for unit in ("entity", "submission"):
        assert survey_results(user=None, survey=survey(SLUG), unit=unit) == expected(SLUG, unit)


def test_importing_the_same_file_twice_changes_nothing(import_sample):
    first = import_sample(SLUG)
    ids = list(Submission.objects.order_by("pk").values_list("pk", flat=True))
    second = import_sample(SLUG)
    assert second.unchanged and not first.unchanged
    assert ImportBatch.objects.filter(survey__slug=SLUG).count() == 1
    assert list(Submission.objects.order_by("pk").values_list("pk", flat=True)) == ids


def test_a_newer_export_replaces_the_survey_data(import_sample, tmp_path):
    import_sample(SLUG)
    import_sample("departamentos-2021-2")
    other = survey_results(user=None, survey=survey("departamentos-2021-2"), unit="entity")
    rows = sample_rows(SLUG)
    header = rows[0]
    newer = [header, row_for(header, {
        "Id": 1, "Hora de finalización": "01/08/2021 10:00:00", "Departamento": "Gobernación de Boyacá",
        "¿El departamento tiene conformado un equipo para brindar asistencia técnica a los municipios?": "Sí",
        "Número de integrantes del equipo de asistencia técnica": 4,
    })]
    outcome = survey_import_file(survey=survey(SLUG), path=write_csv(tmp_path / "newer.csv", newer))
    results = survey_results(user=None, survey=survey(SLUG), unit="entity")
    assert (results["respondents"], results["submissions"], results["rejected"]) == (1, 1, 0)
    assert results["questions"][0] == {"key": "D101", "type": "single", "answered": 1, "counts": {"Sí": 1}}
    assert results["questions"][1] == {"key": "D102", "type": "number", "answered": 1, "sum": 4, "min": 4, "max": 4}
    assert survey(SLUG).current_batch == outcome.batch
    assert Submission.objects.get(survey__slug=SLUG).department_id == "15"
    # The other survey is untouched.
    assert survey_results(user=None, survey=survey("departamentos-2021-2"), unit="entity") == other


def test_a_failed_replacement_keeps_the_previous_data(import_sample, tmp_path, monkeypatch):
    import_sample(SLUG)
    before = survey_results(user=None, survey=survey(SLUG), unit="submission")
    rows = sample_rows(SLUG)[:5]

    def boom(survey_id):
        raise RuntimeError("disk full")

    monkeypatch.setattr("apps.surveys.services._count_results", boom)
    with pytest.raises(RuntimeError):
        survey_import_file(survey=survey(SLUG), path=write_csv(tmp_path / "short.csv", rows))
    assert survey_results(user=None, survey=survey(SLUG), unit="submission") == before


def test_it_keeps_rejected_rows_with_reason_and_data(import_sample):
    outcome = import_sample("municipios-2021")
    rejected = RejectedRow.objects.filter(batch=outcome.batch).order_by("row_number")
    assert rejected.count() == 14
    first = rejected.first()
    assert first.reason == "El municipio «Municipio de Prueba» no existe en Magdalena."
    assert first.data["Municipio"] == "Municipio de Prueba"
    assert first.data["Departamento"] == "Magdalena"


def test_it_resolves_names_within_the_department_with_prefixes_and_acronyms(tmp_path):
    rows = sample_rows("municipios-2021")
    header = rows[0]

    def row(n, dept, muni):
        return row_for(header, {"Id": n, "Hora de finalización": f"30/10/2021 10:{n:02d}:00",
                                "Departamento": dept, "Municipio": muni})

    path = write_xlsx(tmp_path / "m.xlsx", [header, row(1, "NARIÑO", "Alcaldía de La Unión"),
                                            row(2, "Departamento de Antioquia", "municipio de la union"),
                                            row(3, "valle del cauca", "  LA  UNIÓN "),
                                            row(4, "Cundinamarca", "La Unión")])
    result = survey_import_file(survey=survey("municipios-2021"), path=path).result
    assert [r.municipality_id for r in result.accepted] == ["52399", "05400", "76400"]
    assert [r.reason for r in result.rejected] == ["El municipio «La Unión» no existe en Cundinamarca."]

    entity_rows = sample_rows("entidades-nacionales-2021")
    header = entity_rows[0]
    path = write_csv(tmp_path / "e.csv", [header] + [
        row_for(header, {"Id": i, "Hora de finalización": "30/07/2021 10:00:00", "Nombre de la entidad": name})
        for i, name in enumerate(["minvivienda", "Ministerio de Vivienda, Ciudad y Territorio", "DNP", "Otra"], 1)
    ])
    result = survey_import_file(survey=survey("entidades-nacionales-2021"), path=path).result
    assert len({r.national_entity_id for r in result.accepted}) == 2
    assert result.respondents == 2
    assert result.rejected[0].reason.startswith("«Otra» no es una entidad nacional")


def test_it_counts_each_entity_once_with_its_latest_submission(tmp_path):
    header = sample_rows(SLUG)[0]
    team = "¿El departamento tiene conformado un equipo para brindar asistencia técnica a los municipios?"
    themes = "¿Qué temáticas de asistencia técnica ha priorizado el departamento?"
    rows = [header,
            row_for(header, {"Id": 1, "Hora de finalización": "02/03/2021 10:00:00", "Departamento": "Meta",
                             team: "No", themes: "Homologación PDT;"}),
            row_for(header, {"Id": 2, "Hora de finalización": "05/03/2021 09:00:00", "Departamento": "META",
                             team: "Sí", themes: "Homologación PDT; Sistema de seguimiento;homologación pdt;"}),
            row_for(header, {"Id": 3, "Hora de finalización": "04/03/2021 09:00:00", "Departamento": "Meta",
                             team: "En proceso"})]
    survey_import_file(survey=survey(SLUG), path=write_csv(tmp_path / "x.csv", rows))
    entity = survey_results(user=None, survey=survey(SLUG), unit="entity")
    by_key = {q["key"]: q for q in entity["questions"]}
    assert by_key["D101"]["counts"] == {"Sí": 1}
    # Each option at most once per row, in whatever case it was typed.
    assert by_key["D109"] == {"key": "D109", "type": "multi", "answered": 1,
                              "counts": {"Sistema de seguimiento": 1, "Homologación PDT": 1}}
    submissions = survey_results(user=None, survey=survey(SLUG), unit="submission")
    assert {q["key"]: q for q in submissions["questions"]}["D101"]["counts"] == {"Sí": 1, "En proceso": 1, "No": 1}
    assert (submissions["respondents"], submissions["submissions"]) == (1, 3)


def test_it_rejects_a_row_whose_number_is_not_an_integer(tmp_path):
    header = sample_rows(SLUG)[0]
    members = "Número de integrantes del equipo de asistencia técnica"
    rows = [header,
            row_for(header, {"Id": 1, "Hora de finalización": "02/03/2021 10:00:00", "Departamento": "Meta",
                             members: "cinco"}),
            row_for(header, {"Id": 2, "Hora de finalización": "02/03/2021 10:00:00", "Departamento": "Huila",
                             members: "7"})]
    result = survey_import_file(survey=survey(SLUG), path=write_csv(tmp_path / "x.csv", rows)).result
    assert [r.reason for r in result.rejected] == ["D102: «cinco» no es un número entero."]
    assert Answer.objects.filter(number=7).count() == 1


def test_a_dry_run_writes_nothing_and_lists_every_rejected_row():
    out = io.StringIO()
    call_command("import_survey", "municipios-2021", str(SAMPLES / "municipios-2021.xlsx"), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Filas aceptadas: 682 (560 entidades)" in text
    assert "Filas rechazadas: 14" in text
    assert text.count("  fila ") == 14
    assert "no se escribió nada" in text
    assert not Submission.objects.exists() and not ImportBatch.objects.exists() and not ResultCount.objects.exists()


def test_the_command_imports_and_then_reports_no_change():
    path = str(SAMPLES / f"{SLUG}.xlsx")
    out = io.StringIO()
    call_command("import_survey", SLUG, path, stdout=out)
    assert "terminada" in out.getvalue()
    out = io.StringIO()
    call_command("import_survey", SLUG, path, stdout=out)
    assert "ya está importado" in out.getvalue()


def test_the_command_explains_a_bad_file_in_spanish(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    with pytest.raises(CommandError, match="no es una hoja de cálculo"):
        call_command("import_survey", SLUG, str(bad))
    with pytest.raises(CommandError, match="No existe la encuesta"):
        call_command("import_survey", "otra", str(bad))
