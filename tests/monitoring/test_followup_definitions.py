"""The follow-up surveys the data migration created: the contract's slugs, keys and roles, five
plain levels per scale question, the four templates; reloading creates what is missing and never
overwrites an admin's edits."""

import pytest
from django.core.management import call_command

from apps.core.vocabulary import Capacity
from apps.monitoring.definitions import load_followup_definitions
from apps.monitoring.models import Audience, FollowUpTemplate
from apps.surveys.models import Question, Survey

pytestmark = pytest.mark.django_db


def _roles(slug: str) -> dict[str, str]:
    return dict(Question.objects.filter(survey__slug=slug).order_by("position").values_list("key", "role"))


def test_the_three_live_surveys_have_the_agreed_keys_and_roles():
    assert _roles("seguimiento-territorio") == {
        "T01": "satisfaction", "T02": "pertinence", "T03": "timeliness", "T04": "content_quality",
        "T05": "staff_quality", "T06": "will_apply", "T07": "more_help", "T08": "comments"}
    assert _roles("seguimiento-entidad") == {"P01": "goals_met", "P02": "participation", "P03": "pending_work"}
    capacities = Question.objects.filter(survey__slug="autoevaluacion-capacidades")
    assert {(q.key, q.role, q.capacity, q.type) for q in capacities} == {
        (f"C_{code.upper()}", "capacity", code, "scale") for code in Capacity.values}
    assert set(Survey.objects.filter(mode="live").values_list("slug", "unit")) == {
        ("seguimiento-territorio", "municipality"), ("seguimiento-entidad", "national_entity"),
        ("autoevaluacion-capacidades", "municipality")}


def test_every_scale_question_describes_its_five_levels_in_words():
    for q in Question.objects.filter(survey__mode="live", type="scale"):
        assert len(q.levels) == 5 and all(len(level) > 5 for level in q.levels), q.key
        assert len(set(q.levels)) == 5, q.key


def test_the_single_choice_options():
    def options(key):
        return list(Question.objects.get(survey__mode="live", key=key).options.values_list("text", flat=True))

    assert options("T06") == ["Sí", "En parte", "No"]
    assert options("T07") == ["Sí", "No"]
    assert options("P01") == ["Sí", "Parcialmente", "No"]


def test_the_four_templates():
    rows = {t.audience: t for t in FollowUpTemplate.objects.select_related("survey")}
    assert {a: (t.survey.slug, t.send_after_days, t.valid_days, t.reminder_days) for a, t in rows.items()} == {
        Audience.TERRITORY: ("seguimiento-territorio", 0, 30, [3, 7]),
        Audience.PROVIDER: ("seguimiento-entidad", 0, 30, [3, 7]),
        Audience.CAPACITY_BEFORE: ("autoevaluacion-capacidades", 0, 30, [3, 7]),
        Audience.CAPACITY_AFTER: ("autoevaluacion-capacidades", 90, 30, [3, 7]),
    }
    assert all("{jornada}" in t.subject for t in rows.values())


def test_reloading_creates_nothing_and_keeps_edits():
    FollowUpTemplate.objects.filter(audience=Audience.CAPACITY_AFTER).update(send_after_days=120)
    Question.objects.filter(key="T01", survey__mode="live").update(header="¿Le gustó?")
    assert load_followup_definitions() == {"surveys": 0, "questions": 0, "options": 0, "templates": 0}
    call_command("load_reference_data", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert FollowUpTemplate.objects.get(audience=Audience.CAPACITY_AFTER).send_after_days == 120
    assert Question.objects.get(key="T01", survey__mode="live").header == "¿Le gustó?"


def test_after_a_flush_they_come_back():
    FollowUpTemplate.objects.all().delete()
    Survey.objects.filter(mode="live").delete()
    created = load_followup_definitions()
    assert created == {"surveys": 3, "questions": 16, "options": 8, "templates": 4}
