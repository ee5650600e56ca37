"""Survey pages for DNP coordinators: list, import (preview → confirm → progress), results."""

from pathlib import Path

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.decorators import coordinator_required
from apps.core.exports import csv_response, xlsx_response
from apps.surveys import selectors, services
from apps.surveys.exports import rejected_table, result_preamble, result_table
from apps.surveys.forms import UnitForm, UploadForm
from apps.surveys.importer import KEY_COLUMNS
from apps.surveys.mapsvg import choropleth
from apps.surveys.models import BREAKDOWN_DEFAULT, MAP_DEPARTMENTS, ImportBatch, Question, Survey
from apps.surveys.reader import BadFile
from apps.territory.models import Department


@require_GET
@coordinator_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/index.html", {"surveys": selectors.survey_list(user=request.user)})


def _rejected_summary(survey: Survey, rows) -> list[dict]:
    keys = KEY_COLUMNS[survey.unit]
    out = []
    for row in rows:
        data = {k.strip().casefold(): v for k, v in row.data.items()}
        out.append({"row_number": row.row_number, "reason": row.reason,
                    "names": " · ".join(data.get(k.casefold(), "") for k in keys)})
    return out


@require_http_methods(["GET", "POST"])
@coordinator_required
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, slug=slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"survey": survey, "form": form, "batches": selectors.batch_list(user=request.user, survey=survey)[:10]}
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        path = services.upload_to_temp(upload_file)
        try:
            batch, result = services.batch_preview(survey=survey, path=path, file_name=upload_file.name,
                                                   user=request.user)
        except BadFile as exc:
            form.add_error("file", str(exc))
        else:
            context.update(batch=batch, result=result, already=batch is None,
                           rejected=_rejected_summary(survey, result.rejected))
        finally:
            if not hasattr(upload_file, "temporary_file_path"):
                Path(path).unlink(missing_ok=True)
    return render(request, "surveys/upload.html", context, status=200)


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    return selectors.batch_get(user=request.user, pk=pk)


@require_GET
@coordinator_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _batch(request, pk)
    rejected = selectors.rejected_rows(user=request.user, batch=obj)
    return render(request, "surveys/batch.html", {
        "batch": obj, "survey": obj.survey, "progress": _progress(obj),
        "rejected": _rejected_summary(obj.survey, rejected),
    })


def _progress(batch: ImportBatch) -> int:
    if batch.status == ImportBatch.Status.DONE:
        return 100
    return int(cache.get(services.progress_key(batch.pk)) or 0)


@require_GET
@coordinator_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _batch(request, pk)
    return render(request, "surveys/_progress.html", {"batch": obj, "progress": _progress(obj)})


@require_POST
@coordinator_required
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _batch(request, pk)
    if not services.batch_confirm(batch=obj):
        messages.warning(request, _("Esta importación ya fue confirmada."))
    return redirect("surveys:batch", pk=obj.pk)


@require_POST
@coordinator_required
def batch_discard(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _batch(request, pk)
    services.batch_discard(batch=obj)
    messages.info(request, _("Vista previa descartada: no se importó nada."))
    return redirect("surveys:upload", slug=obj.survey.slug)


@require_GET
@coordinator_required
def batch_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _batch(request, pk)
    header, rows = rejected_table(selectors.rejected_rows(user=request.user, batch=obj))
    return csv_response(f"rechazadas-{obj.survey.slug}-{obj.pk}.csv", header, rows)


def _unit(request: HttpRequest) -> str:
    form = UnitForm(request.GET)
    if form.is_valid() and form.cleaned_data["unit"]:
        return form.cleaned_data["unit"]
    return "entity"


def _bars(item: dict, question: Question) -> dict:
    answered = item["answered"]
    counts = item.get("counts", {}).items()
    if item["type"] == Question.Type.SCALE:  # levels in their order, each with what it means
        levels = question.levels if len(question.levels) == 5 else [""] * 5
        labels = {str(n): f"{n}. {text}" if text else str(n) for n, text in enumerate(levels, start=1)}
        counts = [(labels[level], count) for level, count in counts]
    else:
        counts = sorted(counts, key=lambda kv: -kv[1])
    bars = [{"label": label, "count": count, "pct": round(100 * count / answered, 1) if answered else 0}
            for label, count in counts]
    mean = item.get("mean")
    if item["type"] == Question.Type.NUMBER:
        mean = round(item["sum"] / answered, 1) if answered else None
    return {**item, "question": question, "bars": bars, "mean": mean}


def _map_values(survey: Survey, results: dict, questions: list[Question], unit: str) -> tuple[dict, str]:
    """National entities' surveys map the departments they assisted (the question with that role)."""
    assisted = next((q for q in questions if q.has_role(MAP_DEPARTMENTS)), None)
    if survey.unit == Survey.Unit.NATIONAL_ENTITY and assisted is not None:
        names = {d.display_name: d.code for d in Department.objects.all()}
        item = next((q for q in results["questions"] if q["key"] == assisted.key), {"counts": {}})
        return ({names[n]: c for n, c in item.get("counts", {}).items() if n in names},
                f"{assisted.label or assisted.header} ({assisted.key})")
    label = _("Entidades que respondieron por departamento")
    return selectors.respondents_by_department(survey=survey, unit=unit), label


@require_GET
@coordinator_required
def results(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, slug=slug)
    unit = _unit(request)
    questions = selectors.questions_for(survey)
    data = selectors.survey_results(user=request.user, survey=survey, unit=unit, questions=questions)
    by_key = {q.key: q for q in questions}
    items = [_bars(item, by_key[item["key"]]) for item in data["questions"]]
    values, map_label = _map_values(survey, data, questions, unit)
    context = {"survey": survey, "results": data, "items": items, "unit": unit,
               "unit_form": UnitForm(initial={"unit": unit}), "map": choropleth(values, map_label)}
    choices = [q for q in questions if q.type in (Question.Type.SINGLE, Question.Type.MULTI)]
    if survey.unit == Survey.Unit.MUNICIPALITY and choices:
        default = next((q for q in choices if q.has_role(BREAKDOWN_DEFAULT)), choices[0])
        chosen = by_key.get(request.GET.get("pregunta", ""))
        question = chosen if chosen in choices else default
        departments = {r["code"]: r["name"] for r in context["map"]["regions"]}
        rows = selectors.survey_results_by_department(user=request.user, survey=survey, question=question,
                                                      unit=unit, respondents=values)
        for row in rows:
            row["name"] = departments.get(row["department_id"], row["department_id"])
            row["top"] = sorted(row["counts"].items(), key=lambda kv: -kv[1])
        context.update(breakdown_question=question, breakdown_choices=choices,
                       breakdown=sorted(rows, key=lambda r: r["name"]))
    return render(request, "surveys/results.html", context)


@require_GET
@coordinator_required
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    survey = selectors.survey_get(user=request.user, slug=slug)
    unit = _unit(request)
    questions = selectors.questions_for(survey)
    data = selectors.survey_results(user=request.user, survey=survey, unit=unit, questions=questions)
    header, rows = result_table(data, questions)
    filename = f"resultados-{survey.slug}-{unit}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows, preamble=result_preamble(data))
    return xlsx_response(filename, header, rows, sheet_title=_("Resultados"), preamble=result_preamble(data))
