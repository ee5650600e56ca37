"""The results panels on the municipality, department and national-entity pages.

Who sees what:
- coordinators and the territory's or entity's own people (a municipality's editors and its
  department's; a department's editors; the entity's editors) see every figure, the capacity
  change by capacity and, for a municipality, its capacity change over time;
- anyone else sees the public aggregates: counts of needs and events always, figures read from
  follow-up answers only on department and entity pages and only over at least
  `dashboards.MIN_PUBLIC_ANSWERS` answers (a municipality's few respondents would be identifiable).
"""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organization
from apps.core.exports import csv_response, xlsx_response
from apps.monitoring import dashboards as dash
from apps.monitoring.charts import number_text
from apps.monitoring.models import Audience
from apps.territory.models import Department, Municipality, NationalEntity
from apps.territory.panels import register

MUNICIPALITY_PUBLIC = ["needs_answered", "days_to_event"]
MUNICIPALITY_OWN = ["needs_answered", "days_to_event", "satisfaction", "pertinence", "response_rate",
                    "capacity_change"]
DEPARTMENT = ["coverage", "needs_answered", "days_to_event", "satisfaction", "pertinence", "response_rate",
              "capacity_change"]
ENTITY = ["events_per_provider", "joint_missions", "days_to_event", "satisfaction", "pertinence", "response_rate",
          "capacity_change", "cost_per_territory", "cost_per_capacity_point"]


def _organization(user) -> Organization | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.organization


def _coordinator(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_coordinator)


def is_own_municipality(user, municipality: Municipality) -> bool:
    org = _organization(user)
    if org is None:
        return False
    if org.kind == Organization.Kind.DEPARTMENT:
        return org.department_id == municipality.department_id
    return org.kind == Organization.Kind.MUNICIPALITY and org.municipality_id == municipality.pk


def is_own_department(user, department: Department) -> bool:
    org = _organization(user)
    return org is not None and org.kind == Organization.Kind.DEPARTMENT and org.department_id == department.pk


def is_own_entity(user, entity: NationalEntity) -> bool:
    org = _organization(user)
    return org is not None and org.national_entity_id == entity.pk


@dataclass
class Results:
    """One panel's figures: the cards, the capacity change by capacity and over time."""

    kind: str
    code: str
    title: str
    full: bool
    items: list[dash.Card]
    capacity: dash.Card | None = None
    timeline: list[dict] | None = None

    @property
    def export_url(self) -> str:
        name = {"municipio": "municipality", "departamento": "department", "entidad": "entity"}[self.kind]
        return reverse(f"monitoring:{name}_results_export", args=[self.code])

    @property
    def empty(self) -> bool:
        return all(i.value is None for i in self.items) and not (self.capacity and self.capacity.rows) \
            and not self.timeline

    @property
    def capacity_shown(self) -> bool:
        """A breakdown by capacity worth a section: some group's figure is published."""
        return self.capacity is not None and any(not row.withheld for row in self.capacity.rows)

    @property
    def capacity_chart(self) -> dict | None:
        if not self.capacity_shown:
            return None
        return self.capacity.chart(f"chart-capacity-{self.code}")


def _timeline(user, municipality: Municipality) -> list[dict]:
    """The municipality's capacity self-assessments by capacity and month (mean before and after),
    as table rows."""
    rows = dash.engine().capacity_by_time(user=user, municipality=municipality) or []
    before = str(Audience.CAPACITY_BEFORE)
    return [{**row, "moment": _("Antes") if row.get("audience") == before else _("Después"),
             "mean_text": number_text(row.get("mean"), decimals=2)} for row in rows]


def _figures(user, values: dict, codes: list[str], *, full: bool) -> tuple[list[dash.Card], dash.Card | None]:
    """The panel's cards and the capacity change by capacity, in one computation: asked `by`
    capacity, the other indicators come without a breakdown."""
    by = "capacity" if "capacity_change" in codes else None
    items = dash.cards(dash.compute(user=user, values=values, by=by, codes=codes), full=full)
    return items, next((item for item in items if item.code == "capacity_change"), None)


def municipality_results(user, municipality: Municipality) -> Results:
    full = _coordinator(user) or is_own_municipality(user, municipality)
    codes = MUNICIPALITY_OWN if full else MUNICIPALITY_PUBLIC
    items, capacity = _figures(user, {"municipality": municipality.code}, codes, full=full)
    timeline = _timeline(user, municipality) if full else None
    return Results("municipio", municipality.code, municipality.display_name, full, items, capacity, timeline)


def department_results(user, department: Department) -> Results:
    full = _coordinator(user) or is_own_department(user, department)
    items, capacity = _figures(user, {"department": department.code}, DEPARTMENT, full=full)
    return Results("departamento", department.code, department.display_name, full, items, capacity)


def entity_results(user, entity: NationalEntity) -> Results | None:
    org = Organization.objects.filter(national_entity=entity).first()
    if org is None:
        return None
    full = _coordinator(user) or is_own_entity(user, entity)
    items, capacity = _figures(user, {"provider": org.pk}, ENTITY, full=full)
    return Results("entidad", entity.acronym, entity.name, full, items, capacity)


@register("municipality")
def municipality_panel(request: HttpRequest, municipality: Municipality) -> tuple[str, dict] | None:
    results = municipality_results(request.user, municipality)
    return None if results.empty else ("monitoring/_dashboard_panel.html", {"results": results})


@register("department")
def department_panel(request: HttpRequest, department: Department) -> tuple[str, dict] | None:
    results = department_results(request.user, department)
    return None if results.empty else ("monitoring/_dashboard_panel.html", {"results": results})


@register("entity")
def entity_panel(request: HttpRequest, entity: NationalEntity) -> tuple[str, dict] | None:
    results = entity_results(request.user, entity)
    return None if results is None or results.empty else ("monitoring/_dashboard_panel.html", {"results": results})


def _results_for(user, kind: str, code: str) -> Results:
    if kind == "municipio":
        muni = Municipality.objects.select_related("department").filter(code=code[:5]).first()
        if muni is None:
            raise Http404
        return municipality_results(user, muni)
    if kind == "departamento":
        dept = Department.objects.filter(code=code[:2]).first()
        if dept is None:
            raise Http404
        return department_results(user, dept)
    entity = NationalEntity.objects.filter(acronym=code[:40]).first() if kind == "entidad" else None
    results = entity_results(user, entity) if entity is not None else None
    if results is None:
        raise Http404
    return results


def results_export_response(request: HttpRequest, *, kind: str, code: str, fmt: str) -> HttpResponse:
    """A panel's table as XLSX or CSV: `table=indicators` (default), `capacity` or `time`."""
    results = _results_for(request.user, kind, code)
    table = request.GET.get("table", "indicators")
    if table == "capacity" and results.capacity is not None:
        header, rows = dash.breakdown_columns(), dash.breakdown_rows(results.capacity)
    elif table == "time" and results.timeline is not None:
        header = [_("Mes"), _("Capacidad"), _("Medición"), _("Promedio (1 a 5)"), _("Respuestas")]
        rows = [[r.get("month"), r.get("label"), r["moment"], r.get("mean"), r.get("answers")]
                for r in results.timeline]
    elif table == "indicators":
        header, rows = dash.headline_columns(), dash.headline_rows(results.items)
    else:
        raise Http404
    stamp = f"resultados-{kind}-{results.code}-{table}-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return csv_response(f"{stamp}.csv", header, rows)
    return xlsx_response(f"{stamp}.xlsx", header, rows, sheet_title=results.title)
