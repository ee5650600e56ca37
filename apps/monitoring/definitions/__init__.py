"""The follow-up surveys and their templates, shipped as JSON (`followups.json`).

`load_followup_definitions()` creates the three live surveys (questions, options, the five levels
of each scale question) and the four `FollowUpTemplate` rows when they are missing, and never
overwrites what admins edited since. The migration `0002_followup_definitions` calls it with the
historical models; tests that flush the database (the `reference_data` fixture) and the demo data
call it with the live ones.
"""

import json
from pathlib import Path
from typing import Any

DEFINITIONS = Path(__file__).resolve().parent / "followups.json"
SURVEY_SLUGS = ("seguimiento-territorio", "seguimiento-entidad", "autoevaluacion-capacidades")


def load_followup_definitions(*, models: dict[str, Any] | None = None, path: Path = DEFINITIONS) -> dict[str, int]:
    """Create what is missing; returns how many rows of each kind this call created."""
    if models is None:
        from apps.monitoring.models import FollowUpTemplate
        from apps.surveys.models import Option, Question, Survey

        models = {"Survey": Survey, "Question": Question, "Option": Option, "FollowUpTemplate": FollowUpTemplate}
    survey_model, question_model = models["Survey"], models["Question"]
    option_model, template_model = models["Option"], models["FollowUpTemplate"]
    spec = json.loads(path.read_text(encoding="utf-8"))
    created = {"surveys": 0, "questions": 0, "options": 0, "templates": 0}
    surveys = {}
    for sspec in spec["surveys"]:
        survey, new = survey_model.objects.get_or_create(slug=sspec["slug"], defaults={
            "title": sspec["title"], "unit": sspec["unit"], "year": sspec["year"], "mode": sspec["mode"],
            "description": sspec.get("description", "")})
        created["surveys"] += new
        surveys[survey.slug] = survey
        if not new and question_model.objects.filter(survey=survey).exists():
            continue  # admins own the questions from here on
        for position, qspec in enumerate(sspec["questions"], start=1):
            question, new = question_model.objects.get_or_create(survey=survey, key=qspec["key"], defaults={
                "position": position, "type": qspec["type"], "header": qspec["header"],
                "help_text": qspec.get("help_text", ""), "required": qspec.get("required", False),
                "levels": qspec.get("levels", []), "capacity": qspec.get("capacity", ""),
                "label": qspec.get("label", ""), "role": qspec.get("role", "")})
            created["questions"] += new
            for opt_position, text in enumerate(qspec.get("options", []), start=1):
                _option, new = option_model.objects.get_or_create(question=question, text=text,
                                                                  defaults={"position": opt_position})
                created["options"] += new
    for tspec in spec["templates"]:
        _template, new = template_model.objects.get_or_create(audience=tspec["audience"], defaults={
            "survey": surveys[tspec["survey"]], "send_after_days": tspec["send_after_days"],
            "valid_days": tspec["valid_days"], "reminder_days": tspec["reminder_days"],
            "subject": tspec["subject"], "intro": tspec["intro"]})
        created["templates"] += new
    return created
