"""Reads of survey data: results (GROUP BY in the database), baselines, batches.

Results follow the contract of docs/survey-formats.md: `unit="entity"` counts each entity's
latest submission, `unit="submission"` every accepted row. Option counts leave out options
nobody chose, and use each option's text exactly as defined. A SCALE question gives its
distribution over the levels 1..5 (every level, even at 0) and its mean.

Which submissions count follows the survey's mode: an import survey (the 2021 ones) counts only
imported submissions, read from the import's pre-aggregated `ResultCount`; a live survey counts
only the answers given through links, grouped straight from `Answer`. So a live answer never moves
a 2021 figure, and an import never moves a live one.
"""

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from apps.accounts.models import User
from apps.surveys.models import (
    BASELINE,
    Answer,
    ImportBatch,
    Option,
    Question,
    RejectedRow,
    ResultCount,
    Submission,
    Survey,
    role_q,
)
from apps.surveys.permissions import can_manage_surveys

UNITS = ("entity", "submission")
SCALE_LEVELS = (1, 2, 3, 4, 5)


def survey_list(*, user: User | None) -> QuerySet[Survey]:
    """Coordinators see every survey; others the imported ones (the follow-ups' answers are theirs to read)."""
    surveys = Survey.objects.select_related("current_batch").order_by("year", "slug")
    return surveys if can_manage_surveys(user) else surveys.filter(mode=Survey.IMPORT)


def survey_get(*, user: User | None, slug: str) -> Survey:
    try:
        return survey_list(user=user).get(slug=slug)
    except Survey.DoesNotExist:
        raise Http404 from None


def questions_for(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position"))))


def counted_submissions(survey: Survey) -> QuerySet[Submission]:
    """The submissions a survey's figures count: the imported ones, or for a live survey the live ones."""
    return Submission.objects.filter(survey=survey, batch__isnull=survey.is_live)


def _grouped(survey: Survey, unit: str, *fields: str, **filters) -> QuerySet:
    """Rows of `fields` + n, answered, total, low, high: the import's counts, or a live survey's answers."""
    if not survey.is_live:
        counts = ResultCount.objects.filter(survey=survey, **filters)
        if unit == "entity":
            counts = counts.filter(is_latest=True)
        return counts.values(*fields).annotate(
            n=Sum("n"), answered=Sum("answered"), total=Sum("total"), low=Min("low"), high=Max("high")).order_by()
    answers = Answer.objects.filter(survey=survey, submission__batch__isnull=True, **filters)
    if unit == "entity":
        answers = answers.filter(is_latest=True)
    names = [f for f in fields if f != "department_id"]
    renamed = {"department_id": F("submission__department_id")} if "department_id" in fields else {}
    return answers.values(*names, **renamed).annotate(
        n=Count("id"), answered=Count("id", filter=Q(position=0)), total=Sum("number"), low=Min("number"),
        high=Max("number")).order_by()


def _scale_counts(survey: Survey, unit: str, questions: list[Question]) -> dict[int, dict[int, int]]:
    """{question id: {level: n}} for the SCALE questions: one query, none when there are none."""
    scale_ids = [q.pk for q in questions if q.type == Question.Type.SCALE]
    if not scale_ids:
        return {}
    answers = Answer.objects.filter(survey=survey, question_id__in=scale_ids,
                                    submission__batch__isnull=survey.is_live)
    if unit == "entity":
        answers = answers.filter(is_latest=True)
    out: dict[int, dict[int, int]] = {}
    for row in answers.values("question_id", "number").annotate(n=Count("id")).order_by():
        if row["number"] is not None:
            out.setdefault(row["question_id"], {})[row["number"]] = row["n"]
    return out


def survey_results(*, user: User | None, survey: Survey, unit: str = "entity",
                   questions: list[Question] | None = None) -> dict:
    """The results contract for one survey: three queries (plus two for the questions if not given).

    Queries: submissions and respondents (one aggregate), rejected rows of the current import,
    and the grouped counts summed per (question, option); one more when the survey has SCALE
    questions (their levels).
    """
    if unit not in UNITS:
        raise ValueError(unit)
    questions = questions if questions is not None else questions_for(survey)
    totals = counted_submissions(survey).aggregate(
        submissions=Count("id"), respondents=Count("id", filter=Q(is_latest=True)))
    batch_id = survey.current_batch_id
    rejected = RejectedRow.objects.filter(batch_id=batch_id).count() if batch_id and not survey.is_live else 0
    by_question: dict[int, dict] = {}
    for row in _grouped(survey, unit, "question_id", "option_id"):
        by_question.setdefault(row["question_id"], {})[row["option_id"]] = row
    levels = _scale_counts(survey, unit, questions)
    return {
        "survey": survey.slug, "unit": unit,
        "respondents": totals["respondents"], "submissions": totals["submissions"], "rejected": rejected,
        "questions": [_question_result(q, by_question.get(q.pk, {}), levels.get(q.pk, {})) for q in questions],
    }


def _question_result(question: Question, rows: dict, levels: dict[int, int]) -> dict:
    out: dict = {"key": question.key, "type": question.type,
                 "answered": sum(r["answered"] for r in rows.values())}
    if question.type in (Question.Type.SINGLE, Question.Type.MULTI):
        out["counts"] = {o.text: rows[o.pk]["n"] for o in question.options.all() if o.pk in rows}
    elif question.type == Question.Type.NUMBER:
        row = rows.get(None)
        out.update(sum=row["total"] if row else 0, min=row["low"] if row else None,
                   max=row["high"] if row else None)
    elif question.type == Question.Type.SCALE:
        row = rows.get(None)
        out["counts"] = {str(level): levels.get(level, 0) for level in SCALE_LEVELS}
        out["mean"] = round(float(row["total"]) / row["answered"], 2) if row and row["answered"] else None
    return out


def survey_results_by_department(*, user: User, survey: Survey, question: Question, unit: str = "entity",
                                 respondents: dict[str, int] | None = None) -> list:
    """For one choice question: per department, respondents, answered and option counts (one or two queries)."""
    if respondents is None:
        respondents = respondents_by_department(survey=survey, unit=unit)
    grouped = _grouped(survey, unit, "department_id", "option_id", question=question)
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
    submissions = counted_submissions(survey)
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


def _baseline(unit: str, **entity) -> dict | None:
    """An entity's imported answers to the questions with the role "baseline": two queries.

    The survey is the latest import survey of that unit holding such questions; the rows follow
    the role's order and carry the question's short label.
    """
    surveys = Question.objects.filter(role_q(BASELINE), survey__unit=unit, survey__mode=Survey.IMPORT)
    submission = (Submission.objects.filter(survey__in=surveys.values("survey_id"), batch__isnull=False,
                                            is_latest=True, **entity)
                  .select_related("survey").order_by("-survey__year", "-survey_id").first())
    if submission is None:
        return None
    answers = (Answer.objects.filter(role_q(BASELINE, prefix="question__"), submission=submission)
               .select_related("question", "option").order_by("question__position", "position"))
    items: dict[str, dict] = {}
    for answer in answers:
        question = answer.question
        item = items.setdefault(question.key, {
            "key": question.key, "label": question.label or question.header, "question": question.header,
            "order": question.roles.get(BASELINE, 0), "values": []})
        item["values"].append(answer.option.text if answer.option else answer.text or answer.number)
    ordered = sorted(items.values(), key=lambda item: item["order"])
    return {"survey": submission.survey, "finished_at": submission.finished_at, "items": ordered,
            "by_key": items}


def municipal_baseline(*, user: User, municipality) -> dict | None:
    """The municipality's 2021 needs (sector needed, sectors assisted, entities) from the municipal survey."""
    return _baseline(Survey.Unit.MUNICIPALITY, municipality=municipality)


def entity_baseline(*, user: User, entity) -> dict | None:
    """Whether a national entity provided ATT in 2021, how, how often and to which sectors."""
    return _baseline(Survey.Unit.NATIONAL_ENTITY, national_entity=entity)
