"""Reads of survey data: results (GROUP BY in the database), baselines, batches.

Results follow the contract of docs/survey-formats.md: `unit="entity"` counts each entity's
latest submission, `unit="submission"` every accepted row. Option counts leave out options
nobody chose, and use each option's text exactly as defined.
"""

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.surveys.models import (
    Answer,
    ImportBatch,
    Option,
    Question,
    RejectedRow,
    ResultCount,
    Submission,
    Survey,
)
from apps.surveys.permissions import can_manage_surveys

UNITS = ("entity", "submission")


def survey_list(*, user: User) -> QuerySet[Survey]:
    return Survey.objects.select_related("current_batch").order_by("year", "slug")


def survey_get(*, user: User, slug: str) -> Survey:
    try:
        return survey_list(user=user).get(slug=slug)
    except Survey.DoesNotExist:
        raise Http404 from None


def questions_for(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position"))))


def _counts(survey: Survey, unit: str, **filters) -> QuerySet[ResultCount]:
    counts = ResultCount.objects.filter(survey=survey, **filters)
    return counts.filter(is_latest=True) if unit == "entity" else counts


def survey_results(*, user: User | None, survey: Survey, unit: str = "entity",
                   questions: list[Question] | None = None) -> dict:
    """The results contract for one survey: three queries (plus two for the questions if not given).

    Queries: submissions and respondents (one aggregate), rejected rows of the current import,
    and the import's grouped counts summed per (question, option).
    """
    if unit not in UNITS:
        raise ValueError(unit)
    questions = questions if questions is not None else questions_for(survey)
    totals = Submission.objects.filter(survey=survey).aggregate(
        submissions=Count("id"), respondents=Count("id", filter=Q(is_latest=True)))
    batch_id = survey.current_batch_id
    rejected = RejectedRow.objects.filter(batch_id=batch_id).count() if batch_id else 0
    grouped = _counts(survey, unit).values("question_id", "option_id").annotate(
        n=Sum("n"), answered=Sum("answered"), total=Sum("total"), low=Min("low"), high=Max("high"),
    ).order_by()
    by_question: dict[int, dict] = {}
    for row in grouped:
        by_question.setdefault(row["question_id"], {})[row["option_id"]] = row
    return {
        "survey": survey.slug, "unit": unit,
        "respondents": totals["respondents"], "submissions": totals["submissions"], "rejected": rejected,
        "questions": [_question_result(q, by_question.get(q.pk, {})) for q in questions],
    }


def _question_result(question: Question, rows: dict) -> dict:
    out: dict = {"key": question.key, "type": question.type,
                 "answered": sum(r["answered"] for r in rows.values())}
    if question.type in (Question.Type.SINGLE, Question.Type.MULTI):
        out["counts"] = {o.text: rows[o.pk]["n"] for o in question.options.all() if o.pk in rows}
    elif question.type == Question.Type.NUMBER:
        row = rows.get(None)
        out.update(sum=row["total"] if row else 0, min=row["low"] if row else None,
                   max=row["high"] if row else None)
    return out


def survey_results_by_department(*, user: User, survey: Survey, question: Question, unit: str = "entity",
                                 respondents: dict[str, int] | None = None) -> list:
    """For one choice question: per department, respondents, answered and option counts (one or two queries)."""
    if respondents is None:
        respondents = respondents_by_department(survey=survey, unit=unit)
    grouped = _counts(survey, unit, question=question).values("department_id", "option_id").annotate(
        n=Sum("n"), answered=Sum("answered")).order_by()
    options = {o.pk: o.text for o in question.options.all()}
    table: dict[str, dict] = {}
    for row in grouped:
        entry = table.setdefault(row["department_id"], {"answered": 0, "counts": {}})
        entry["answered"] += row["answered"]
        if row["option_id"] in options:
            entry["counts"][options[row["option_id"]]] = row["n"]
    return [{"department_id": code, "respondents": respondents.get(code, 0), **entry}
            for code, entry in table.items() if code]


def respondents_by_department(*, survey: Survey, unit: str = "entity") -> dict[str, int]:
    submissions = Submission.objects.filter(survey=survey)
    if unit == "entity":
        submissions = submissions.filter(is_latest=True)
    return dict(submissions.exclude(department_id=None).values_list("department_id").annotate(n=Count("id"))
                .order_by())


def batch_list(*, user: User, survey: Survey) -> QuerySet[ImportBatch]:
    return survey.batches.select_related("uploaded_by").order_by("-created_at", "-pk")


def batch_get(*, user: User, pk: int) -> ImportBatch:
    if not can_manage_surveys(user):
        raise Http404
    try:
        return ImportBatch.objects.select_related("survey", "uploaded_by").get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


def rejected_rows(*, user: User, batch: ImportBatch) -> QuerySet[RejectedRow]:
    return batch.rejected_rows.order_by("row_number")


# --- Baselines for the territory pages ----------------------------------------------------------------

MUNICIPAL_SURVEY = "municipios-2021"
NATIONAL_SURVEY = "entidades-nacionales-2021"
# Short labels for the panels (the full question is kept as the row's title).
MUNICIPAL_BASELINE = {
    "M04": _("Sector en el que más necesita asistencia"),
    "M05": _("Sectores en los que recibió asistencia"),
    "M02": _("Recibió asistencia del nivel nacional en 2021"),
    "M21": _("Cómo le prestan la asistencia"),
    "M03": _("Entidades nacionales que le brindaron asistencia"),
}
ENTITY_BASELINE = {
    "E01": _("Presta asistencia técnica territorial"),
    "E14": _("Modalidad"),
    "E18": _("Frecuencia (primer semestre de 2021)"),
    "E13": _("Forma de prestación"),
    "E11": _("Sectores que atiende"),
}


def _baseline(survey_slug: str, labels: dict, **entity) -> dict | None:
    """Answers of an entity's latest submission to some questions: two queries."""
    submission = (Submission.objects.filter(survey__slug=survey_slug, is_latest=True, **entity)
                  .select_related("survey").order_by().first())
    if submission is None:
        return None
    answers = (Answer.objects.filter(submission=submission, question__key__in=list(labels))
               .select_related("question", "option").order_by("question__position", "position"))
    items: dict[str, dict] = {}
    for answer in answers:
        key = answer.question.key
        item = items.setdefault(key, {"key": key, "label": labels[key], "question": answer.question.header,
                                      "values": []})
        item["values"].append(answer.option.text if answer.option else answer.text or answer.number)
    ordered = [items[k] for k in labels if k in items]
    return {"survey": submission.survey, "finished_at": submission.finished_at, "items": ordered,
            "by_key": items}


def municipal_baseline(*, user: User, municipality) -> dict | None:
    """The municipality's 2021 needs (sector needed, sectors assisted, entities) from the municipal survey."""
    return _baseline(MUNICIPAL_SURVEY, MUNICIPAL_BASELINE, municipality=municipality)


def entity_baseline(*, user: User, entity) -> dict | None:
    """Whether a national entity provided ATT in 2021, how, how often and to which sectors."""
    return _baseline(NATIONAL_SURVEY, ENTITY_BASELINE, national_entity=entity)
