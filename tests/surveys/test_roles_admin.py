"""The 2021 pages read question labels and roles from the definitions (no key in code), and admins
edit survey definitions without breaking the answers they already hold."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from apps.surveys.admin import QuestionForm
from apps.surveys.definitions import DEFINITIONS, load_definitions
from apps.surveys.models import Question, Submission, Survey
from tests.surveys.conftest import survey
from tests.surveys.test_live_engine import LEVELS, live_answer

pytestmark = pytest.mark.django_db

MUNICIPAL = "municipios-2021"


def _page_fields() -> dict:
    return {(q.survey.slug, q.key): (q.label, q.role)
            for q in Question.objects.exclude(role="").filter(survey__year=2021).select_related("survey")}


def _page_fields() -> dict:
    return {(q.survey.slug, q.key): (q.label, q.role)
            for q in Question.objects.exclude(role="").filter(survey__year=2021).select_related("survey")}


def test_the_migration_sets_the_labels_and_roles_of_the_definitions():
    m04 = Question.objects.get(survey__slug=MUNICIPAL, key="M04")
    assert m04.label == "Sector en el que más necesita asistencia"
    assert m04.roles == {"baseline": 1, "breakdown_default": 0}
    assert Question.objects.get(key="E19").roles == {"map_departments": 0}
    assert Question.objects.get(key="E14").roles == {"baseline": 2}
    migrated = _page_fields()
    assert len(migrated) == 12
    # the 2021 baseline the monitoring indicators set beside theirs
    assert Question.objects.get(survey__slug=MUNICIPAL, key="M02").roles == {"baseline": 3,
                                                                            "received_national_att": 0}
    assert Question.objects.get(role="measured_changes").key == "M19"
    load_definitions()  # the definitions file says the same as the migration
    assert _page_fields() == migrated
    spec = json.loads(DEFINITIONS.read_text(encoding="utf-8"))
    in_file = {(s["slug"], q["key"]): (q["label"], q["role"]) for s in spec["surveys"] for q in s["questions"]
               if "role" in q}
    assert in_file == migrated


def test_no_page_names_a_2021_question_key_in_code():
    code = [p for p in (Path(settings.BASE_DIR) / "apps" / "surveys").rglob("*.py") if "migrations" not in p.parts]
    named = [f"{p.name}: {m.group()}" for p in code for m in re.finditer(r"[\"'(][MDE]\d{2,3}[\"')]", p.read_text())]
    assert named == []


def test_the_results_page_breaks_down_by_the_question_with_the_role(import_sample, client_as, carla):
    import_sample(MUNICIPAL)
    client = client_as(carla)
    assert '<option value="M04" selected>' in client.get(f"/encuestas/{MUNICIPAL}/resultados/").content.decode()
    Question.objects.filter(survey__slug=MUNICIPAL, key="M04").update(role="baseline:1")
    Question.objects.filter(survey__slug=MUNICIPAL, key="M10").update(role="breakdown_default")
    assert '<option value="M10" selected>' in client.get(f"/encuestas/{MUNICIPAL}/resultados/").content.decode()


def test_the_entity_results_map_the_question_with_the_departments_role(import_sample, client_as, carla):
    import_sample("entidades-nacionales-2021")
    html = client_as(carla).get("/encuestas/entidades-nacionales-2021/resultados/").content.decode()
    assert "Entidades nacionales que prestaron asistencia en cada departamento (E19)" in html


def test_the_baseline_panel_follows_the_roles_order_and_labels(import_sample, client_as, carla):
    import_sample(MUNICIPAL)
    submission = (Submission.objects.filter(survey__slug=MUNICIPAL, is_latest=True, answers__question__key="M02")
                  .filter(answers__question__key="M04").select_related("municipality").first())
    url = submission.municipality.get_absolute_url()
    html = client_as(carla).get(url).content.decode()
    assert html.index("Sector en el que más necesita asistencia") < html.index("Recibió asistencia del nivel")
    Question.objects.filter(survey__slug=MUNICIPAL, key="M02").update(role="baseline:0", label="¿Recibió ayuda?")
    html = client_as(carla).get(url).content.decode()
    assert "Recibió asistencia del nivel" not in html
    assert html.index("¿Recibió ayuda?") < html.index("Sector en el que más necesita asistencia")


# --- Admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client_as, adam):
    adam.is_staff = adam.is_superuser = True
    adam.save(update_fields=["is_staff", "is_superuser"])
    return client_as(adam)


@pytest.fixture
def live_survey(db):
    return Survey.objects.create(slug="prueba-en-vivo", title="Seguimiento", unit="municipality", year=2026,
                                 mode=Survey.LIVE)


def _question_post(obj: Survey, **values) -> dict:
    data = {"survey": obj.pk, "position": 1, "key": "S1", "type": "scale", "header": "¿Le sirvió?",
            "help_text": "", "label": "", "role": "satisfaction", "capacity": "",
            "options-TOTAL_FORMS": 0, "options-INITIAL_FORMS": 0}
    data.update({f"level_{n}": text for n, text in enumerate(LEVELS, start=1)})
    data.update(values)
    return data


def test_an_admin_adds_a_scale_question_with_five_levels(admin_client, live_survey):
    response = admin_client.post("/admin/surveys/question/add/", _question_post(live_survey, level_5=""))
    assert response.status_code == 200
    assert "Una pregunta de escala necesita exactamente cinco niveles" in response.content.decode()
    assert not Question.objects.filter(survey=live_survey).exists()

    response = admin_client.post("/admin/surveys/question/add/", _question_post(live_survey, required="on"))
    assert response.status_code == 302
    question = Question.objects.get(survey=live_survey)
    assert (question.levels, question.required, question.role) == (LEVELS, True, "satisfaction")
    page = admin_client.get(f"/admin/surveys/question/{question.pk}/change/").content.decode()
    assert 'value="Sirvió bastante"' in page


def test_the_admin_refuses_levels_on_a_choice_question_and_a_bad_role(admin_client, live_survey):
    html = admin_client.post("/admin/surveys/question/add/", _question_post(
        live_survey, type="single", role="Satisfacción!")).content.decode()
    assert "Solo las preguntas de escala de 1 a 5 llevan niveles." in html
    assert "Use palabras en minúscula" in html
    assert not Question.objects.filter(survey=live_survey).exists()


def test_an_answered_question_keeps_its_key_and_type(admin_client, live_survey):
    question = Question.objects.create(survey=live_survey, key="S1", position=1, type="scale", header="¿Le sirvió?",
                                       levels=LEVELS)
    form = QuestionForm(instance=question, data=_question_post(live_survey, key="S9"))
    assert form.is_valid()  # no answers yet: the key may change
    live_answer(live_survey, "prueba:1", municipality="25290", S1=4)
    question.refresh_from_db()  # is_valid() above wrote the new key on the instance (unsaved)
    form = QuestionForm(instance=question, data=_question_post(live_survey, key="S9", type="number"))
    assert not form.is_valid()
    assert "la clave de la pregunta no puede cambiar" in form.errors["key"][0]
    assert "el tipo de la pregunta no puede cambiar" in form.errors["type"][0]

    page = admin_client.get(f"/admin/surveys/question/{question.pk}/change/").content.decode()
    assert 'name="key"' not in page and 'name="type"' not in page and 'name="level_1"' in page
    response = admin_client.post(f"/admin/surveys/question/{question.pk}/change/",
                                 _question_post(live_survey, header="¿Cuánto le sirvió?"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.header, question.key, question.levels) == ("¿Cuánto le sirvió?", "S1", LEVELS)
    assert admin_client.get(f"/admin/surveys/question/{question.pk}/delete/").status_code == 403


def test_the_survey_admin_pages_open_with_imported_and_live_answers(admin_client, import_sample, live_survey):
    outcome = import_sample(MUNICIPAL)
    obj = survey(MUNICIPAL)
    live_answer(obj, "followup:9", municipality="25290", M02="Sí")
    question = obj.questions.get(key="M04")
    for url in ("/admin/surveys/survey/", f"/admin/surveys/survey/{obj.pk}/change/",
                f"/admin/surveys/question/{question.pk}/change/", "/admin/surveys/question/",
                "/admin/surveys/importbatch/", f"/admin/surveys/importbatch/{outcome.batch.pk}/change/",
                f"/admin/surveys/survey/{live_survey.pk}/change/"):
        assert admin_client.get(url).status_code == 200, url
    page = admin_client.get(f"/admin/surveys/survey/{obj.pk}/change/").content.decode()
    assert 'name="slug"' not in page and 'name="questions-0-key"' in page
    assert 'name="questions-0-DELETE"' not in page  # answered: no question is deleted
    assert admin_client.get(f"/admin/surveys/survey/{obj.pk}/delete/").status_code == 403
