"""Everything that reads needs: scoped to the acting user, constant-query querysets."""

from collections import defaultdict
from datetime import timedelta
from typing import cast

import django_filters
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.text import normalize
from apps.core.vocabulary import Capacity
from apps.demand.models import Need, NeedMessage, NeedStatusEvent, Priority, Status
from apps.demand.permissions import need_scope
from apps.territory.models import Department, Municipality, Sector
from apps.territory.selectors import municipality_resolve

AGE_CHOICES = [("7", _("Más de 7 días")), ("15", _("Más de 15 días")), ("30", _("Más de 30 días")),
               ("60", _("Más de 60 días")), ("90", _("Más de 90 días"))]


class NeedFilter(django_filters.FilterSet):
    """The inbox and API filters. `municipality` takes a DIVIPOLA code; `municipality_name` a
    typed name resolved inside `department` (the no-JavaScript territory picker)."""

    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Departamento"),
        empty_label=_("Todos"),
    )
    municipality = django_filters.CharFilter(method="filter_municipality", label=_("Código DIVIPOLA del municipio"))
    municipality_name = django_filters.CharFilter(method="filter_municipality_name", label=_("Municipio"))
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.order_by("name"), label=_("Sector"),
                                              empty_label=_("Todos"))
    capacity = django_filters.ChoiceFilter(choices=Capacity.choices, label=_("Capacidad"), empty_label=_("Todas"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Estado"), empty_label=_("Todos"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Prioridad"), empty_label=_("Todas"))
    age = django_filters.ChoiceFilter(choices=AGE_CHOICES, method="filter_age", label=_("Antigüedad"),
                                      empty_label=_("Cualquiera"))

    class Meta:
        model = Need
        fields = ["department", "municipality", "municipality_name", "sector", "capacity", "status", "priority",
                  "age"]

    def filter_municipality(self, qs, name, value):
        return qs.filter(municipality_id=value.strip())

    def filter_municipality_name(self, qs, name, value):
        department = self.form.cleaned_data.get("department")
        muni = municipality_resolve(department=department.code, name=value) if department else None
        if muni is None:
            matches = Municipality.objects.filter(search_name__startswith=normalize(value)).values("code")
            return qs.filter(municipality_id__in=matches)
        return qs.filter(municipality_id=muni.code)

    def filter_age(self, qs, name, value):
        cutoff = timezone.now() - timedelta(days=int(value))
        return qs.filter(submitted_at__lte=cutoff)

    def qs_without(self, *names: str) -> QuerySet[Need]:
        """The queryset under every valid filter but `names`, reusing this validation (and its
        lookups of the chosen department and sector) instead of building a second filter set."""
        qs = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in names:
                qs = self.filters[name].filter(qs, value)
        return qs


def _base(user: User) -> QuerySet[Need]:
    return Need.objects.filter(need_scope(user)).select_related(
        "organization", "department", "municipality", "sector", "service"
    )


def need_filter(*, user: User, filters: dict | None) -> NeedFilter:
    """A bound NeedFilter over the needs `user` may see; `.qs` is the filtered list, `.errors`
    says what was wrong (invalid filters are ignored by `.qs`)."""
    return NeedFilter(filters or {}, queryset=_base(user).order_by("-submitted_at", "-id"))


def need_list(*, user: User, filters: dict | None = None) -> QuerySet[Need]:
    """The needs `user` may see (permissions.need_scope), filtered, newest radicada first."""
    qs = _base(user)
    if filters:
        qs = NeedFilter(filters, queryset=qs).qs
    return qs.order_by("-submitted_at", "-id")


class DeferredJoinPaginator(Paginator):
    """Pages a need list in two steps: the page's ids first (an index scan on the ordering, no
    joins), then those rows with their relations. A plain OFFSET with select_related joins every
    skipped row; on page 400 of 20,000 needs that is 150 ms against 25 ms."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        needs = cast(QuerySet[Need], self.object_list)
        ids = list(needs.values_list("pk", flat=True)[bottom:top])
        rows = {need.pk: need for need in needs.filter(pk__in=ids).order_by()}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)


def with_labels(needs):
    """Set `status_label`, `capacity_label`, `priority_label` on each need of a page.

    `get_FOO_display()` rebuilds and translates the whole choice list on every call (0.6 ms);
    a page of 50 needs with three labels each spent most of its time there.
    """
    labels = {field: {value: str(label) for value, label in choices}
              for field, choices in (("status", Status.choices), ("capacity", Capacity.choices),
                                     ("priority", Priority.choices))}
    for need in needs:
        for field, names in labels.items():
            setattr(need, f"{field}_label", names.get(getattr(need, field), getattr(need, field)))
    return needs


def need_get(*, user: User, pk: int) -> Need:
    """One need; 404 alike for missing and not-yours, so ids reveal nothing."""
    need = _base(user).filter(pk=pk).first()
    if need is None:
        raise Http404
    return need


def need_status_counts(qs: QuerySet[Need]) -> dict[str, int]:
    """Counts per status of `qs`, every status present (zero when none), in workflow order."""
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {value: counts.get(value, 0) for value in Status.values}


def inbox_counts(*, filterset: NeedFilter) -> dict[str, int]:
    """Status counts under every filter except the status one, so each count is a click away."""
    return need_status_counts(filterset.qs_without("status"))


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """Options of the inbox filter selects: two small queries, rendered without form widgets
    (Django's per-option widget templates cost more than the whole page of needs)."""
    return {
        "department": list(Department.objects.all().values_list("code", "display_name")),
        "sector": list(Sector.objects.order_by("name").values_list("slug", "name")),
        "capacity": [(v, str(label)) for v, label in Capacity.choices],
        "status": [(v, str(label)) for v, label in Status.choices if v != Status.DRAFT],
        "priority": [(v, str(label)) for v, label in Priority.choices],
        "age": [(v, str(label)) for v, label in AGE_CHOICES],
    }


# The same form content sent again within this time is the same need sent twice (views.create).
REPEAT_WINDOW = timedelta(minutes=30)


def need_recent_twins(*, user: User, data: dict, municipalities: list[Municipality], filing: bool,
                      within: timedelta = REPEAT_WINDOW) -> list[Need]:
    """The needs `user` filed (or saved as draft, when not `filing`) in the last `within` with
    exactly this content for exactly these territories: the same form sent again after Back when
    the browser fetched the page anew, so its one-time token is new. Empty when there are none."""
    fields = {f: data[f] for f in ("sector", "topic", "capacity", "problem", "expected_result", "plan_goal",
                                   "priority", "modality", "window_start", "window_end", "participants",
                                   "service") if f in data}
    own = user.organization.municipality_id if user.organization else None
    wanted: set[str | None] = {m.pk for m in municipalities} or {own}
    recent = Need.objects.filter(created_by=user, created_at__gte=timezone.now() - within, **fields)
    candidates = recent.exclude(status=Status.DRAFT) if filing else recent.filter(status=Status.DRAFT)
    batches: dict[str | None, list[Need]] = defaultdict(list)
    for need in candidates.order_by("pk"):
        batches[need.submission_key].append(need)
    for batch in batches.values():
        if {need.municipality_id for need in batch} == wanted:
            return batch
    return []


def need_thread(*, need: Need) -> tuple[list[NeedMessage], list[NeedStatusEvent]]:
    messages = list(need.messages.select_related("author__organization"))
    events = list(need.events.select_related("actor__organization"))
    return messages, events


def demand_summary(*, user: User, filters: dict | None = None) -> dict:
    """Needs by department and sector: one GROUP BY, then totals and bar widths in Python."""
    rows = list(
        need_list(user=user, filters=filters).order_by()
        .values("department_id", "department__display_name", "sector_id", "sector__name")
        .annotate(n=Count("id"))
    )
    by_department: dict[str, int] = defaultdict(int)
    by_sector: dict[str, int] = defaultdict(int)
    for row in rows:
        by_department[row["department__display_name"]] += row["n"]
        by_sector[row["sector__name"]] += row["n"]

    def bars(totals: dict[str, int]) -> list[dict]:
        top = max(totals.values(), default=0) or 1
        return [{"label": k, "n": v, "pct": round(100 * v / top)}
                for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]

    rows.sort(key=lambda r: (r["department__display_name"], -r["n"], r["sector__name"]))
    return {"rows": rows, "departments": bars(by_department), "sectors": bars(by_sector),
            "total": sum(by_department.values())}


def municipality_needs(*, user: User, municipality: Municipality, limit: int = 20) -> dict:
    """For the municipality page: counts by status for everyone (drafts never counted), and the
    needs themselves only for people allowed to see them."""
    public = Need.objects.filter(municipality=municipality).exclude(status=Status.DRAFT)
    counts = {k: v for k, v in need_status_counts(public).items() if v}
    visible = need_list(user=user).filter(municipality=municipality)[:limit] if user.is_authenticated else []
    return {"counts": [(Status(k).label, v) for k, v in counts.items()], "needs": list(visible),
            "total": sum(counts.values()), "municipality": municipality}


def department_need_counts(*, department: Department) -> dict:
    """For the department page: filed needs of the department by status (public figures)."""
    public = Need.objects.filter(department=department).exclude(status=Status.DRAFT)
    counts = {k: v for k, v in need_status_counts(public).items() if v}
    return {"counts": [(Status(k).label, v) for k, v in counts.items()], "total": sum(counts.values()),
            "department": department}
