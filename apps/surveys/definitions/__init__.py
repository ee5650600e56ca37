"""Survey definitions shipped as JSON (`surveys_2021.json`, written from docs/survey-formats.md).

`load_definitions()` upserts surveys, questions and options by their natural keys: running it
again changes nothing, and it never touches imported answers. The migration
`0002_definitions_2021` calls it with the historical models, `load_survey_definitions` with the
live ones. Options listed as "national entities" or "departments" come from the reference data.

A question may also carry what the pages use it for (`label`, `role`: the role words in
`apps.surveys.models`) and `help_text`, `required`, `levels`, `capacity`; a survey its `mode` and
`description`. The loader writes only the fields the (historical) model has: 0002 runs before they
existed, and `0005_question_roles_2021` then sets the labels and roles.
"""

import json
from pathlib import Path
from typing import Any

DEFINITIONS = Path(__file__).resolve().parent / "surveys_2021.json"
# What pages read (always written: blank when the definition leaves it out) and what admins may
# edit (written only when the definition gives it).
PAGE_FIELDS = {"label": "", "role": ""}
EDITABLE_FIELDS = ("help_text", "required", "levels", "capacity")


def _option_rows(question: dict, entities: list, departments: list) -> list[tuple[str, str]]:
    source = question.get("options_source")
    if source == "national_entities":
        return [(e.name, e.acronym) for e in entities]
    if source == "departments":
        return [(d.display_name, "") for d in departments]
    return [(text, "") for text in question.get("options", [])]


def load_definitions(*, models: dict[str, Any] | None = None, path: Path = DEFINITIONS) -> dict[str, int]:
    """Upsert every survey of the definitions file; `models` maps names to (historical) models."""
    if models is None:
        from apps.surveys.models import Option, Question, Survey
        from apps.territory.models import Department, NationalEntity

        models = {"Survey": Survey, "Question": Question, "Option": Option,
                  "Department": Department, "NationalEntity": NationalEntity}
    survey_model, question_model, option_model = models["Survey"], models["Question"], models["Option"]
    entities = list(models["NationalEntity"].objects.order_by("name"))
    departments = list(models["Department"].objects.order_by("display_name"))
    field_names = {f.name for f in question_model._meta.get_fields()}
    page_fields = {name: default for name, default in PAGE_FIELDS.items() if name in field_names}
    editable = [name for name in EDITABLE_FIELDS if name in field_names]
    survey_fields = [name for name in ("mode", "description")
                     if name in {f.name for f in survey_model._meta.get_fields()}]
    counts = {"surveys": 0, "questions": 0, "options": 0}
    for spec in json.loads(path.read_text(encoding="utf-8"))["surveys"]:
        survey, _ = survey_model.objects.update_or_create(
            slug=spec["slug"],
            defaults={"title": spec["title"], "unit": spec["unit"], "year": spec["year"],
                      "identity_columns": spec["identity_columns"],
                      **{name: spec[name] for name in survey_fields if name in spec}},
        )
        counts["surveys"] += 1
        for position, qspec in enumerate(spec["questions"], start=1):
            question, _ = question_model.objects.update_or_create(
                survey=survey, key=qspec["key"],
                defaults={"position": position, "type": qspec["type"], "header": qspec["header"],
                          **{name: qspec.get(name, default) for name, default in page_fields.items()},
                          **{name: qspec[name] for name in editable if name in qspec}},
            )
            counts["questions"] += 1
            existing = {o.text: o for o in option_model.objects.filter(question=question)}
            for opt_position, (text, alias) in enumerate(_option_rows(qspec, entities, departments), start=1):
                option = existing.get(text)
                if option is None:
                    option_model.objects.create(question=question, position=opt_position, text=text, alias=alias)
                elif (option.position, option.alias) != (opt_position, alias):
                    option.position, option.alias = opt_position, alias
                    option.save(update_fields=["position", "alias"])
                counts["options"] += 1
    return counts
