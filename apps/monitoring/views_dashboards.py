"""The monitoring dashboards: views parse the filters, compute the indicators, render.

- `/seguimiento/` (coordinators): every indicator as a card (value, unit, formula, 2021 baseline),
  filters, a breakdown chart with its table, the map by department, and closing a period.
- `/seguimiento/indicadores/<code>/` (anyone, scoped): one indicator with its formula, breakdown
  table, chart, map and exports.
- `/seguimiento/resumen/` (anyone): the public summary, aggregates only (what an anonymous
  visitor gets, also for signed-in people), with the open data and its dictionary.
- Exports of every table (XLSX first, CSV with `;` and a BOM) and the open data.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.agenda.models import AgendaPeriod
from apps.core.decorators import coordinator_required, public
from apps.core.exports import csv_response, xlsx_response
from apps.monitoring import dashboards as dash
from apps.monitoring.forms_dashboards import IndicatorFilterForm
from apps.monitoring.panels import results_export_response
from apps.surveys.mapsvg import choropleth
from apps.territory.models import Department

FREEZABLE = (AgendaPeriod.Status.PUBLISHED, AgendaPeriod.Status.CLOSED)


def _departments() -> list[str]:
    return list(Department.objects.values_list("display_name", flat=True))


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _map(item: dash.Card) -> dict:
    """The survey results' choropleth of the department breakdown. It shades values above zero
    only, so a fall (a negative capacity change) is left unshaded and the caption says so."""
    values = {row.key: _whole(round(row.value, 1)) for row in item.rows if row.value is not None}
    label = _("%(name)s por departamento") % {"name": item.name}
    if any(value < 0 for value in values.values()):
        label += ". " + _("Los departamentos con cifras negativas quedan sin color; la tabla las tiene")
    return choropleth({code: value for code, value in values.items() if value > 0}, label)


def _query(request: HttpRequest, **drop) -> str:
    params = request.GET.copy()
    for name in ("format", "table", *drop):
        params.pop(name, None)
    return params.urlencode()


def _frozen(items: list[dash.Card]) -> str:
    return next((item.frozen_text for item in items if item.frozen), "")


def _live_note(period: AgendaPeriod | None, items: list[dash.Card]) -> str:
    """A frozen period filtered further (a department, a sector...) is computed today: say so."""
    if period is None or getattr(period, "frozen", None) is None or any(i.frozen for i in items):
        return ""
    return _("Las cifras congeladas del periodo %(name)s son las de todo el país sin otros filtros; con estos "
             "filtros se calculan con los datos de hoy.") % {"name": period.name}


def _chosen(request: HttpRequest, items: list[dash.Card]) -> dash.Card | None:
    wanted = request.GET.get("indicator", "coverage")
    return next((i for i in items if i.code == wanted), items[0] if items else None)


@coordinator_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = IndicatorFilterForm(request.GET or None)
    values, by = form.filter_values(), form.chosen_by()
    items = dash.cards(dash.compute(user=request.user, values=values, by=by), full=True)
    chosen = _chosen(request, items)
    mapped = chosen
    if chosen is not None and by != "department":
        found = dash.compute(user=request.user, values=values, by="department", codes=[chosen.code])
        mapped = dash.card(found[0], full=True) if found else None
    period = form.chosen_period()
    can_freeze = bool(period and period.status in FREEZABLE and not hasattr(period, "frozen"))
    return render(request, "monitoring/dashboard.html", {
        "form": form, "items": items, "chosen": chosen, "by": by, "period": period, "can_freeze": can_freeze,
        "frozen_text": _frozen(items), "departments": _departments(), "query": _query(request),
        "chart": chosen.chart("chart-breakdown") if chosen else None,
        "map": _map(mapped) if mapped else None, "chart_query": _query(request, indicator=True),
        "keep": [("indicator", chosen.code)] if chosen and "indicator" in request.GET else [],
        "live_note": _live_note(period, items),
    })


@public
@require_GET
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator; anonymous visitors and territories get the public aggregates (the
    disclosure rule of apps.monitoring.dashboards), coordinators everything."""
    if code not in dash.CODES:
        raise Http404
    full = request.user.is_authenticated and request.user.is_coordinator
    form = IndicatorFilterForm(request.GET or None, public=not full, capacity=code == "capacity_change")
    values, by = form.filter_values(), form.chosen_by()
    found = dash.compute(user=request.user, values=values, by=by, codes=[code])
    if not found:
        raise Http404
    item = dash.card(found[0], full=full)
    mapped = item
    if by != "department":
        again = dash.compute(user=request.user, values=values, by="department", codes=[code])
        mapped = dash.card(again[0], full=full) if again else None
    return render(request, "monitoring/dashboard_indicator.html", {
        "form": form, "item": item, "by": by, "departments": _departments(), "query": _query(request),
        "chart": item.chart("chart-indicator"),
        "map": _map(mapped) if mapped else None, "min_answers": dash.MIN_PUBLIC_ANSWERS,
        "answer_based": code in dash.ANSWER_CODES, "full": full,
        "live_note": _live_note(form.chosen_period(), [item]),
    })


@public
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """The public summary: what an anonymous visitor gets, whoever asks (no personal data)."""
    form = IndicatorFilterForm(request.GET or None, public=True)
    values = {"period": form.chosen_period()} if form.chosen_period() else {}
    items = dash.cards(dash.public_compute(values=values, by="department"), full=False)
    coverage = next((i for i in items if i.code == "coverage"), items[0] if items else None)
    return render(request, "monitoring/dashboard_summary.html", {
        "form": form, "items": items, "period": form.chosen_period(), "frozen_text": _frozen(items),
        "map": _map(coverage) if coverage else None, "query": _query(request),
        "min_answers": dash.MIN_PUBLIC_ANSWERS,
    })


def _table_response(request: HttpRequest, stamp: str, header: list, rows: list, title: str) -> HttpResponse:
    if request.GET.get("format") == "csv":
        return csv_response(f"{stamp}.csv", header, rows)
    return xlsx_response(f"{stamp}.xlsx", header, rows, sheet_title=title)


@public
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """A table of the pages as XLSX (default) or CSV: `table=indicators` (every indicator of the
    filters) or `table=breakdown&indicator=<code>` (its breakdown). Scoped and disclosed as the
    pages are: coordinators get everything, anyone else the public aggregates."""
    full = request.user.is_authenticated and request.user.is_coordinator
    code = request.GET.get("indicator", "")
    form = IndicatorFilterForm(request.GET or None, public=not full, capacity=code == "capacity_change")
    values, by = form.filter_values(), form.chosen_by()
    stamp = timezone.localdate().isoformat()
    if request.GET.get("table") == "breakdown":
        if code not in dash.CODES:
            raise Http404
        found = dash.compute(user=request.user, values=values, by=by, codes=[code])
        item = dash.card(found[0], full=full) if found else None
        if item is None:
            raise Http404
        return _table_response(request, f"indicador-{code}-{by}-{stamp}", dash.breakdown_columns(),
                               dash.breakdown_rows(item), item.name)
    items = dash.cards(dash.compute(user=request.user, values=values, by=None), full=full)
    return _table_response(request, f"indicadores-{stamp}", dash.headline_columns(), dash.headline_rows(items),
                           _("Indicadores"))


@public
@require_GET
def municipality_results_export(request: HttpRequest, code: str) -> HttpResponse:
    """The tables of a municipality's results panel (scoped as the panel)."""
    return results_export_response(request, kind="municipio", code=code, fmt=request.GET.get("format", "xlsx"))


@public
@require_GET
def department_results_export(request: HttpRequest, code: str) -> HttpResponse:
    return results_export_response(request, kind="departamento", code=code, fmt=request.GET.get("format", "xlsx"))


@public
@require_GET
def entity_results_export(request: HttpRequest, acronym: str) -> HttpResponse:
    return results_export_response(request, kind="entidad", code=acronym, fmt=request.GET.get("format", "xlsx"))


# --- Open data -------------------------------------------------------------------------------

def _public_period(request: HttpRequest) -> AgendaPeriod | None:
    pk = request.GET.get("period", "")
    if not pk:
        return None
    if not (pk.isascii() and pk.isdigit()) or len(pk) > 12:
        raise Http404
    return get_object_or_404(AgendaPeriod.objects.select_related("frozen"), pk=pk,
                             status=AgendaPeriod.Status.PUBLISHED)


@public
@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """The public indicators as CSV (`;`, BOM, stable columns: see the data dictionary); all time,
    or a published period with `?period=<id>`. Each breakdown is one `indicators_compute`, which
    keeps its figures cached until something they read is written (PostgreSQL)."""
    period = _public_period(request)
    name = f"indicadores-{period.name if period else 'todo-el-tiempo'}.csv"
    return csv_response(name, dash.open_data_columns(), dash.open_data_rows(period))


@public
@require_GET
def data_dictionary(request: HttpRequest) -> HttpResponse:
    periods = AgendaPeriod.objects.filter(status=AgendaPeriod.Status.PUBLISHED).order_by("-starts_on")
    return render(request, "monitoring/dashboard_dictionary.html", {
        "columns": dash.OPEN_DATA_COLUMNS, "periods": periods,
        "items": dash.cards(dash.public_compute(values={}, by=None), full=False),
    })


@public
@require_GET
def data_dictionary_csv(request: HttpRequest) -> HttpResponse:
    rows = [[name, str(kind), str(meaning)] for name, kind, meaning in dash.OPEN_DATA_COLUMNS]
    return csv_response("diccionario-indicadores.csv", [_("columna"), _("tipo"), _("significado")], rows)


# --- Closing a period ------------------------------------------------------------------------

@coordinator_required
@require_http_methods(["GET", "POST"])
def period_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page; POST: freeze the period's figures (idempotent)."""
    period = get_object_or_404(AgendaPeriod.objects.select_related("frozen"), pk=pk)
    back = reverse("monitoring:dashboard") + f"?period={period.pk}"
    frozen = getattr(period, "frozen", None)
    if request.method == "POST":
        from apps.monitoring.services import period_freeze as freeze

        try:
            result = freeze(user=request.user, period=period)
        except (PermissionDenied, ValidationError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("No puede cerrar este periodo.")
            messages.error(request, text)
        else:
            when = dash.frozen_text(getattr(result, "closed_at", None))
            if frozen is not None:
                messages.info(request, _("El periodo %(name)s ya estaba cerrado; sus cifras no cambiaron. %(when)s")
                              % {"name": period.name, "when": when})
            else:
                messages.success(request, _("Periodo %(name)s cerrado. %(when)s") % {"name": period.name, "when": when})
        return redirect(back)
    return render(request, "monitoring/dashboard_freeze.html", {
        "period": period, "frozen": frozen, "freezable": period.status in FREEZABLE, "back": back,
        "frozen_text": dash.frozen_text(frozen.closed_at) if frozen else "",
    })
