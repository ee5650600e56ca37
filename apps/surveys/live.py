"""Live submissions: one respondent's answers through a link (monitoring's follow-ups), stored like
the imports' (one `Answer` row per chosen option, a `number` row for NUMBER and SCALE, a text row),
so every result is the same GROUP BY over `Answer` whatever the origin.

`submission_record()` validates the answers against the survey's questions and writes one
`Submission(batch=None)` keyed by `source_key`: the same key twice records nothing the second
time (the unique constraint settles two racing requests), so an answer is never recorded twice.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.text import normalize
from apps.surveys.models import Answer, Option, Question, Submission, Survey
from apps.territory.models import Department, Municipality, NationalEntity

TEXT_LIMIT = 4000
SCALE = range(1, 6)
# NUMBER answers go into a BigIntegerField.
NUMBER_LIMIT = 2**63 - 1


def survey_form_questions(survey: Survey, *, capacities: Iterable[str] | None = None) -> list[Question]:
    """The questions a respondent is asked, in order, options loaded (one query each).

    Questions that assess a capacity are kept only when their capacity is among `capacities`
    (None: all of them); an empty list means "every capacity", as for an event whose needs named none.
    """
    wanted = set(capacities or ())
    questions = (survey.questions.order_by("position")
                 .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position"))))
    return [q for q in questions if not q.capacity or not wanted or q.capacity in wanted]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, list | tuple) and not value)


def _integer(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value.strip())
    raise ValueError(value)


def _option(question: Question, value: object) -> Option:
    """The option named by `value`: its id, or its text (accents, case and spaces aside)."""
    options = list(question.options.all())
    if isinstance(value, Option):
        value = value.pk
    if isinstance(value, int) and not isinstance(value, bool):
        found = next((o for o in options if o.pk == value), None)
    else:
        text = normalize(value)
        found = next((o for o in options if normalize(o.text) == text or (o.alias and normalize(o.alias) == text)),
                     None)
    if found is None:
        raise ValueError(value)
    return found


def _rows(question: Question, value: object) -> list[Answer]:
    """The Answer rows of one answered question; ValidationError (Spanish) when the value is not valid."""
    kind = question.type
    try:
        if kind == Question.Type.SCALE:
            level = _integer(value)
            if level not in SCALE:
                raise ValueError(level)
            return [Answer(question=question, number=level)]
        if kind == Question.Type.NUMBER:
            number = _integer(value)
            if abs(number) > NUMBER_LIMIT:
                raise ValueError(number)
            return [Answer(question=question, number=number)]
        if kind == Question.Type.SINGLE:
            return [Answer(question=question, option=_option(question, value))]
        if kind == Question.Type.MULTI:
            values = value if isinstance(value, list | tuple) else [value]
            chosen = list(dict.fromkeys(_option(question, v) for v in values if not _blank(v)))
            return [Answer(question=question, option=o, position=i) for i, o in enumerate(chosen)]
    except (TypeError, ValueError):
        raise ValidationError(str(_MESSAGES[kind])) from None
    text = str(value).strip()
    if len(text) > TEXT_LIMIT:
        raise ValidationError(_("Escriba máximo %(n)s caracteres.") % {"n": f"{TEXT_LIMIT:,}".replace(",", ".")})
    return [Answer(question=question, text=text)]


_MESSAGES: dict[str, Any] = {
    Question.Type.SCALE: gettext_lazy("Elija un nivel del 1 al 5."),
    Question.Type.NUMBER: gettext_lazy("Escriba un número entero."),
    Question.Type.SINGLE: gettext_lazy("Elija una de las opciones."),
    Question.Type.MULTI: gettext_lazy("Elija entre las opciones."),
}


def answers_validate(*, questions: list[Question], answers: dict[str, object]) -> list[Answer]:
    """Unsaved Answer rows for `answers` (question key → value); ValidationError keyed by question key."""
    errors: dict[str, list[str]] = {}
    rows: list[Answer] = []
    for question in questions:
        value = answers.get(question.key)
        if _blank(value):
            if question.required:
                errors[question.key] = [_("Responda esta pregunta.")]
            continue
        try:
            rows += _rows(question, value)
        except ValidationError as exc:
            errors[question.key] = exc.messages
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def submission_record(*, survey: Survey, source_key: str, answers: dict[str, object],
                      municipality: Municipality | None = None, department: Department | None = None,
                      national_entity: NationalEntity | None = None, started_at: datetime | None = None,
                      questions: list[Question] | None = None) -> Submission | None:
    """Record one live answer of `survey`; None (and nothing written) when `source_key` already exists.

    `answers` maps question keys to values: SCALE an integer 1..5, SINGLE an option's text or id,
    MULTI a list of them, NUMBER an integer, TEXT a string; blank values are unanswered questions.
    `questions`: the ones that were asked (`survey_form_questions`); default every question of the
    survey. Raises ValidationError with Spanish messages keyed by question key, before writing.
    A municipality implies its department.
    """
    if not source_key:
        raise ValueError("submission_record() needs a source_key")
    if questions is None:
        questions = survey_form_questions(survey)
    rows = answers_validate(questions=questions, answers=answers)
    if Submission.objects.filter(source_key=source_key).exists():
        return None
    if municipality is not None and department is None:
        department = municipality.department
    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: losing the race leaves the caller's transaction usable
            submission = Submission.objects.create(
                survey=survey, batch=None, source_key=source_key, is_latest=True, started_at=started_at,
                finished_at=now, municipality=municipality, department=department, national_entity=national_entity)
    except IntegrityError:
        if Submission.objects.filter(source_key=source_key).exists():
            return None
        raise
    for row in rows:
        row.survey, row.submission, row.is_latest = survey, submission, True
    Answer.objects.bulk_create(rows)
    return submission
