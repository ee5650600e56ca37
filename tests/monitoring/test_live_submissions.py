"""apps.surveys.live: a live answer is validated against the survey's questions and stored in the
imports' layout; the same source key twice records one submission."""

import pytest
from django.core.exceptions import ValidationError

from apps.surveys.live import submission_record, survey_form_questions
from apps.surveys.models import Answer, Option, Question, Submission, Survey
from apps.territory.models import Municipality, NationalEntity

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = Survey.objects.create(slug="prueba-en-vivo", title="Prueba", unit="municipality", year=2027, mode="live")
    specs = [("S1", "scale", "planeacion", True), ("S2", "scale", "gestion", False), ("U1", "single", "", True),
             ("M1", "multi", "", False), ("N1", "number", "", False), ("X1", "text", "", False)]
    for position, (key, kind, capacity, required) in enumerate(specs, start=1):
        q = Question.objects.create(survey=survey, key=key, position=position, type=kind, header=key,
                                    capacity=capacity, required=required, levels=["a", "b", "c", "d", "e"])
        if kind in ("single", "multi"):
            for i, text in enumerate(["Sí", "No", "Tal vez"], start=1):
                Option.objects.create(question=q, position=i, text=text)
    return survey


def test_it_stores_every_type_like_an_import(survey):
    muni = Municipality.objects.get(code="25290")
    sub = submission_record(survey=survey, source_key="prueba:1", municipality=muni, answers={
        "S1": 3, "S2": "5", "U1": "si", "M1": ["No", "Tal vez", "No"], "N1": "12", "X1": "  Bien  "})
    assert sub.batch_id is None and sub.is_latest and sub.finished_at and sub.department_id == "25"
    rows = {(a.question.key, a.position): (a.option.text if a.option else None, a.number, a.text)
            for a in Answer.objects.filter(submission=sub).select_related("question", "option")}
    assert rows == {("S1", 0): (None, 3, ""), ("S2", 0): (None, 5, ""), ("U1", 0): ("Sí", None, ""),
                    ("M1", 0): ("No", None, ""), ("M1", 1): ("Tal vez", None, ""), ("N1", 0): (None, 12, ""),
                    ("X1", 0): (None, None, "Bien")}
    assert all(a.is_latest and a.survey_id == survey.pk for a in Answer.objects.filter(submission=sub))


def test_an_option_may_be_given_by_its_id(survey):
    option = Option.objects.get(question__key="U1", text="No")
    sub = submission_record(survey=survey, source_key="prueba:2", answers={"S1": 1, "U1": option.pk})
    assert Answer.objects.get(submission=sub, question__key="U1").option == option


@pytest.mark.parametrize(("answers", "errors"), [
    ({"S1": 6, "U1": "Sí"}, {"S1": ["Elija un nivel del 1 al 5."]}),
    ({"S1": "tres", "U1": "Sí"}, {"S1": ["Elija un nivel del 1 al 5."]}),
    ({"S1": 2, "U1": "Quizás"}, {"U1": ["Elija una de las opciones."]}),
    ({"S1": 2}, {"U1": ["Responda esta pregunta."]}),
    ({"S1": 2, "U1": "Sí", "M1": ["Sí", "Otro"]}, {"M1": ["Elija entre las opciones."]}),
    ({"S1": 2, "U1": "Sí", "N1": "1,5"}, {"N1": ["Escriba un número entero."]}),
    ({"S1": 2, "U1": "Sí", "X1": "x" * 4001}, {"X1": ["Escriba máximo 4.000 caracteres."]}),
    ({"S1": True, "U1": "Sí"}, {"S1": ["Elija un nivel del 1 al 5."]}),
])
def test_bad_answers_are_refused_in_spanish_by_question_and_nothing_is_written(survey, answers, errors):
    with pytest.raises(ValidationError) as caught:
        submission_record(survey=survey, source_key="prueba:3", answers=answers)
    assert caught.value.message_dict == errors
    assert not Submission.objects.exists() and not Answer.objects.exists()


def test_the_same_source_key_twice_records_one_submission(survey):
    first = submission_record(survey=survey, source_key="prueba:4", answers={"S1": 2, "U1": "Sí"})
    assert submission_record(survey=survey, source_key="prueba:4", answers={"S1": 5, "U1": "No"}) is None
    assert list(Submission.objects.values_list("pk", flat=True)) == [first.pk]
    assert Answer.objects.get(question__key="S1").number == 2


def test_the_form_questions_keep_only_the_capacities_asked(survey):
    keys = [q.key for q in survey_form_questions(survey, capacities=["gestion"])]
    assert keys == ["S2", "U1", "M1", "N1", "X1"]
    assert [q.key for q in survey_form_questions(survey, capacities=[])] == ["S1", "S2", "U1", "M1", "N1", "X1"]


def test_a_required_question_not_asked_is_not_required(survey):
    asked = survey_form_questions(survey, capacities=["gestion"])
    sub = submission_record(survey=survey, source_key="prueba:5", answers={"S2": 4, "U1": "No", "S1": 5},
                            questions=asked)
    # S1 was not asked: not required, and not recorded even if sent.
    assert list(Answer.objects.filter(submission=sub).values_list("question__key", flat=True).order_by("question__key")
                ) == ["S2", "U1"]


def test_an_entity_survey_keeps_the_entity(survey):
    entity = NationalEntity.objects.get(acronym="MinVivienda")
    sub = submission_record(survey=survey, source_key="prueba:6", answers={"S1": 1, "U1": "Sí"}, national_entity=entity)
    assert sub.national_entity == entity and sub.municipality is None
