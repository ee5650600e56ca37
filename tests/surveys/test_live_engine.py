"""One engine for imports and live answers: imports replace only imported submissions, a survey's
figures count only its own origin, SCALE questions give levels 1..5 and a mean."""

import pytest

from apps.surveys import selectors
from apps.surveys.models import Answer, Option, Question, ResultCount, Submission, Survey
from apps.surveys.services import survey_import_file
from apps.territory.models import Municipality
from tests.surveys.conftest import expected, survey
from tests.surveys.helpers import row_for, sample_rows, write_csv

pytestmark = pytest.mark.django_db

MUNICIPAL = "municipios-2021"
LEVELS = ["No sirvió", "Sirvió poco", "Sirvió en parte", "Sirvió bastante", "Sirvió del todo"]


def live_answer(obj: Survey, key: str, *, municipality: str | None = None, entity=None, **answers) -> Submission:
    """A submission given through a link (no batch), stored like apps.surveys.live writes them."""
    muni = Municipality.objects.get(pk=municipality) if municipality else None
    submission = Submission.objects.create(
        survey=obj, batch=None, source_key=key, is_latest=True, municipality=muni,
        department_id=muni.department_id if muni else None, national_entity=entity)
    rows = []
    for question_key, value in answers.items():
        question = obj.questions.get(key=question_key)
        values = value if isinstance(value, list) else [value]
        for position, one in enumerate(values):
            row = Answer(survey=obj, submission=submission, question=question, position=position, is_latest=True)
            if question.type in (Question.Type.SINGLE, Question.Type.MULTI):
                row.option = question.options.get(text=one)
            elif question.type in (Question.Type.NUMBER, Question.Type.SCALE):
                row.number = one
            else:
                row.text = one
            rows.append(row)
    Answer.objects.bulk_create(rows)
    return submission


def older_municipal_export(tmp_path):
    header = sample_rows(MUNICIPAL)[0]
    one = [header, row_for(header, {"Id": 1, "Hora de finalización": "21/10/2021 08:00:00",
                                    "Departamento": "Meta", "Municipio": "Puerto López",
                                    "¿Durante el año 2021 su entidad recibió asistencia técnica por parte "
                                    "del nivel nacional?": "Sí"})]
    return write_csv(tmp_path / "older.csv", one)


def test_a_live_answer_survives_a_newer_import_and_moves_no_2021_figure(import_sample, tmp_path):
    first = survey_import_file(survey=survey(MUNICIPAL), path=older_municipal_export(tmp_path))
    assert first.batch.accepted_count == 1
    obj = survey(MUNICIPAL)
    live = live_answer(obj, "followup:1", municipality="25290", M02="No", M04="Vivienda, Ciudad y Territorio",
                       M05=["Vivienda, Ciudad y Territorio", "Transporte"])

    outcome = import_sample(MUNICIPAL)

    assert not outcome.unchanged
    assert Submission.objects.filter(pk=live.pk, batch=None).exists()
    assert Answer.objects.filter(submission=live).count() == 4
    assert Submission.objects.filter(survey=obj, batch=first.batch).count() == 0  # the older import is gone
    obj = survey(MUNICIPAL)
    for unit in ("entity", "submission"):
        assert selectors.survey_results(user=None, survey=obj, unit=unit) == expected(MUNICIPAL, unit)
    imported = Submission.objects.filter(survey=obj, batch__isnull=False)
    assert selectors.respondents_by_department(survey=obj, unit="submission")["25"] == \
        imported.filter(department_id="25").count()
    # the pre-aggregated counts hold the import's answers only
    assert sum(ResultCount.objects.filter(survey=obj).values_list("n", flat=True)) == \
        Answer.objects.filter(submission__in=imported).count()

    again = import_sample(MUNICIPAL)  # the same file twice changes nothing, the live answer stays
    assert again.unchanged and Submission.objects.filter(pk=live.pk).exists()


def test_the_2021_department_breakdown_and_baseline_ignore_live_answers(import_sample, client_as, carla):
    import_sample(MUNICIPAL)
    obj = survey(MUNICIPAL)
    m04 = obj.questions.get(key="M04")
    before = selectors.survey_results_by_department(user=carla, survey=obj, question=m04)
    imported = (Submission.objects.filter(survey=obj, is_latest=True, answers__question=m04)
                .exclude(answers__option__text="Ninguno").select_related("municipality").first())
    needed = imported.answers.get(question=m04).option.text
    other = m04.options.exclude(text=needed).first().text
    live_answer(obj, "followup:2", municipality=imported.municipality_id, M04=other)

    assert selectors.survey_results_by_department(user=carla, survey=obj, question=m04) == before
    html = client_as(carla).get(imported.municipality.get_absolute_url()).content.decode()
    assert f"Sector en el que más necesita asistencia</th>\n      <td>{needed}</td>" in html


@pytest.fixture
def live_survey(db):
    """A live municipal survey with one question of each type."""
    obj = Survey.objects.create(slug="prueba-en-vivo", title="Seguimiento de prueba", unit="municipality",
                                year=2026, mode=Survey.LIVE)
    Question.objects.create(survey=obj, key="S1", position=1, type="scale", header="¿Le sirvió?", levels=LEVELS,
                            role="satisfaction")
    yes_no = Question.objects.create(survey=obj, key="C1", position=2, type="single", header="¿Lo aplicará?")
    Option.objects.bulk_create([Option(question=yes_no, position=1, text="Sí"),
                                Option(question=yes_no, position=2, text="No")])
    Question.objects.create(survey=obj, key="N1", position=3, type="number", header="¿Cuántas personas?")
    Question.objects.create(survey=obj, key="T1", position=4, type="text", header="Comentarios")
    return obj


def _answer_four(obj):
    for n, (level, municipality) in enumerate([(5, "25290"), (4, "25001"), (4, "05001"), (1, "25290")]):
        live_answer(obj, f"prueba:{n}", municipality=municipality, S1=level, C1="Sí" if level > 2 else "No",
                    N1=10 * level)


def test_a_live_survey_counts_its_link_answers_with_the_scale_levels_and_mean(live_survey):
    _answer_four(live_survey)
    results = selectors.survey_results(user=None, survey=live_survey, unit="submission")
    assert (results["respondents"], results["submissions"], results["rejected"]) == (4, 4, 0)
    assert results["questions"] == [
        {"key": "S1", "type": "scale", "answered": 4, "counts": {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1},
         "mean": 3.5},
        {"key": "C1", "type": "single", "answered": 4, "counts": {"Sí": 3, "No": 1}},
        {"key": "N1", "type": "number", "answered": 4, "sum": 140, "min": 10, "max": 50},
        {"key": "T1", "type": "text", "answered": 0},
    ]
    assert selectors.respondents_by_department(survey=live_survey) == {"25": 3, "05": 1}
    by_department = selectors.survey_results_by_department(
        user=None, survey=live_survey, question=live_survey.questions.get(key="C1"), unit="submission")
    assert sorted(by_department, key=lambda r: r["department_id"]) == [
        {"department_id": "05", "respondents": 1, "answered": 1, "counts": {"Sí": 1}},
        {"department_id": "25", "respondents": 3, "answered": 3, "counts": {"Sí": 2, "No": 1}},
    ]


def test_a_scale_question_with_no_answers_has_no_mean(live_survey):
    results = selectors.survey_results(user=None, survey=live_survey)
    assert results["questions"][0] == {"key": "S1", "type": "scale", "answered": 0,
                                       "counts": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, "mean": None}


def test_live_results_run_constant_queries(live_survey, django_assert_num_queries):
    live_answer(live_survey, "prueba:uno", municipality="25290", S1=3, C1="Sí")
    # 1 questions, 2 their options, 3 submissions + respondents, 4 grouped answers, 5 scale levels
    with django_assert_num_queries(5):
        selectors.survey_results(user=None, survey=live_survey)
    _answer_four(live_survey)
    with django_assert_num_queries(5):
        selectors.survey_results(user=None, survey=live_survey)


def test_the_results_page_shows_the_levels_in_order_and_the_mean(live_survey, client_as, carla):
    _answer_four(live_survey)
    html = client_as(carla).get("/encuestas/prueba-en-vivo/resultados/").content.decode()
    assert "Promedio: 3,50 de 5" in html
    labels = [f"{n}. {text}</span>" for n, text in enumerate(LEVELS, start=1)]
    assert all(label in html for label in labels)
    assert [html.index(label) for label in labels] == sorted(html.index(label) for label in labels)
    assert "Sirvió bastante</span><span class=\"bar-fill\" style=\"width:50.0%\"" in html


def test_the_export_lists_the_levels_and_the_mean(live_survey, client_as, carla):
    _answer_four(live_survey)
    text = client_as(carla).get("/encuestas/prueba-en-vivo/resultados.csv").content.decode("utf-8-sig")
    assert "S1;¿Le sirvió?;Escala de 1 a 5;4;2;50" in text
    assert "S1;¿Le sirvió?;Escala de 1 a 5;Promedio;3" in text
    assert "Respuestas aceptadas;4" in text


def test_a_live_survey_takes_no_import(live_survey, client_as, carla, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.surveys.reader import BadFile

    path = older_municipal_export(tmp_path)
    with pytest.raises(BadFile, match="se responde por enlace"):
        survey_import_file(survey=live_survey, path=path)
    html = client_as(carla).post("/encuestas/prueba-en-vivo/importar/", {
        "file": SimpleUploadedFile("x.csv", path.read_bytes())}).content.decode()
    assert "se responde por enlace" in html
    assert not Submission.objects.exists()
    index = client_as(carla).get("/encuestas/").content.decode()
    assert "Respuestas por enlace" in index and 'href="/encuestas/prueba-en-vivo/resultados/"' in index


def test_the_api_shows_live_surveys_to_coordinators_only(live_survey, api_as, alice, carla):
    _answer_four(live_survey)
    assert "prueba-en-vivo" not in [s["slug"] for s in api_as(alice).get("/api/v1/surveys/").json()["results"]]
    assert api_as(alice).get("/api/v1/surveys/prueba-en-vivo/results/").status_code == 404
    listed = {s["slug"]: s["mode"] for s in api_as(carla).get("/api/v1/surveys/", {"page_size": 100}).json()["results"]}
    assert (listed["prueba-en-vivo"], listed["municipios-2021"]) == ("live", "import")
    body = api_as(carla).get("/api/v1/surveys/prueba-en-vivo/results/", {"unit": "submission"}).json()
    assert body["questions"][0]["counts"] == {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1}


def test_an_import_survey_counts_no_live_answer_of_its_own(import_sample):
    import_sample("departamentos-2021-2")
    obj = survey("departamentos-2021-2")
    submission = Submission.objects.create(survey=obj, batch=None, source_key="x:1", is_latest=True,
                                           department_id="25")
    d201 = obj.questions.get(key="D201")
    Answer.objects.create(survey=obj, submission=submission, question=d201, option=d201.options.get(text="Sí"),
                          is_latest=True)
    for unit in ("entity", "submission"):
        assert selectors.survey_results(user=None, survey=obj, unit=unit) == expected("departamentos-2021-2", unit)


def test_an_import_reads_a_scale_column_and_rejects_a_level_out_of_range(tmp_path):
    slug = "departamentos-2021-2"
    obj = survey(slug)
    Question.objects.create(survey=obj, key="D216", position=16, type="scale", levels=LEVELS,
                            header="¿Cuánto le sirvió la asistencia del nivel nacional?")
    rows = sample_rows(slug)
    header = [*rows[0], "¿Cuánto le sirvió la asistencia del nivel nacional?"]
    body = [[*row, ""] for row in rows[1:]]
    body[0][-1], body[1][-1], body[2][-1] = 4, "2", 7
    outcome = survey_import_file(survey=obj, path=write_csv(tmp_path / "escala.csv", [header, *body]))
    assert any("D216: «7» no es un nivel de 1 a 5." == r.reason for r in outcome.result.rejected)
    item = selectors.survey_results(user=None, survey=obj, unit="submission")["questions"][-1]
    assert item == {"key": "D216", "type": "scale", "answered": 2, "counts": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0},
                    "mean": 3.0}


def test_every_survey_opens_its_results_and_exports_for_a_coordinator(live_survey, client_as, carla):
    """The 2021 imports and the live surveys (monitoring's follow-ups among them), with no answers yet."""
    _answer_four(live_survey)
    client = client_as(carla)
    slugs = list(Survey.objects.values_list("slug", flat=True))
    assert len(slugs) > 5
    for slug in slugs:
        for url in (f"/encuestas/{slug}/resultados/", f"/encuestas/{slug}/resultados.xlsx",
                    f"/encuestas/{slug}/resultados.csv"):
            assert client.get(url).status_code == 200, url


def test_the_results_command_gives_a_live_survey_in_json(live_survey):
    import io
    import json

    from django.core.management import call_command

    _answer_four(live_survey)
    out = io.StringIO()
    call_command("survey_results", "prueba-en-vivo", "--unit", "submission", stdout=out)
    assert json.loads(out.getvalue())["questions"][0]["mean"] == 3.5
