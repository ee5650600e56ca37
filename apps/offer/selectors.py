"""Reads for the offer catalogue: every query is scoped to what the acting user may see."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict

from apps.accounts.models import Organization, User
from apps.core.vocabulary import Capacity, Modality
from apps.offer.filters import ServiceFilter, service_search
from apps.offer.models import AssistanceType, Service
from apps.offer.permissions import can_edit_service, sees_unpublished, service_visible_q
from apps.territory.models import Department


def service_base(*, user: User) -> QuerySet[Service]:
    """Services the user may see, without the list's joins (for counts and facets)."""
    return Service.objects.filter(service_visible_q(user))


def _with_relations(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organization").prefetch_related(
        "sectors", Prefetch("departments", queryset=Department.objects.all())
    )


def service_list(*, user: User, filters: QueryDict | dict | None = None) -> QuerySet[Service]:
    """The catalogue as this user sees it, filtered (see `filters.ServiceFilter`).

    Queries when evaluated: 1 for the services (with their organisation), 1 for the sectors
    and 1 for the departments of the whole page, whatever its size.
    """
    return _with_relations(ServiceFilter(filters or {}, queryset=service_base(user=user)).qs)


def service_get(*, user: User, pk: int) -> Service:
    """One service the user may see; 404 alike for missing and not visible."""
    service = _with_relations(service_base(user=user)).filter(pk=pk).first()
    if service is None:
        raise Http404
    return service


def service_get_for_edit(*, user: User, pk: int) -> Service:
    """A service the user may write: 404 when they cannot even see it, 403 when only see it."""
    service = service_get(user=user, pk=pk)
    if not can_edit_service(user, service):
        raise PermissionDenied
    return service


def organization_services(*, user: User, organization: Organization) -> QuerySet[Service]:
    """An organisation's services as this user sees them (the entity panel, "Mis servicios")."""
    return _with_relations(service_base(user=user).filter(organization=organization)).order_by("status", "name")


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def _choices(counts: dict, choices, selected: str) -> list[FacetValue]:
    return [FacetValue(str(v), str(label), counts.get(v, 0), str(v) == selected) for v, label in choices]


SCALAR_FACETS = {  # facet → (model field, choices)
    "capacity": (None, Capacity.choices),
    "modality": ("modality", Modality.choices),
    "type": ("assistance_type", AssistanceType.choices),
    "status": ("status", Service.Status.choices),
}


def service_facets(*, user: User, filters: QueryDict | dict | None = None) -> dict[str, list[FacetValue]]:
    """Counts per value of each facet, each counted with every *other* filter applied.

    Five queries whatever the catalogue's size: one conditional aggregate for capacity,
    modality, type, status and the nationwide services (which count in every department), then
    entity, sector and department counts, and the department names.
    """
    filters = filters or {}
    filterset = ServiceFilter(filters, queryset=Service.objects.none())
    conditions = filterset.conditions()
    chosen = {f: str(filters.get(f) or "") for f in ServiceFilter.FACETS}
    base = service_search(service_base(user=user), str(filters.get("q") or "")).order_by()

    def others(facet: str) -> Q:
        return Q(*[q for name, q in conditions.items() if name != facet])

    wanted = [f for f in SCALAR_FACETS if f != "status" or sees_unpublished(user)]
    counts: dict[str, Count] = {}
    keys: dict[str, tuple[str, str]] = {}
    for facet in wanted:
        field, choices = SCALAR_FACETS[facet]
        for value, _label in choices:
            alias = f"n{len(keys)}"
            keys[alias] = (facet, value)
            match = Q(capacities__contains=f",{value},") if field is None else Q(**{field: value})
            counts[alias] = Count("pk", filter=others(facet) & match)
    counts["nationwide"] = Count("pk", filter=others("department") & Q(nationwide=True))
    totals = base.aggregate(**counts)
    per_facet: dict[str, dict] = {f: {} for f in wanted}
    for alias, (facet, value) in keys.items():
        per_facet[facet][value] = totals[alias]
    facets = {f: _choices(per_facet[f], SCALAR_FACETS[f][1], chosen[f]) for f in wanted}

    entities = (base.filter(others("entity")).values("organization_id", "organization__name")
                .annotate(n=Count("pk")).order_by("-n", "organization__name"))
    facets["entity"] = [FacetValue(str(r["organization_id"]), r["organization__name"], r["n"],
                                   str(r["organization_id"]) == chosen["entity"]) for r in entities]

    sector_rows = (Service.sectors.through.objects.filter(service__in=base.filter(others("sector")).values("pk"))
                   .values("sector_id", "sector__name").annotate(n=Count("service_id")).order_by("-n", "sector__name"))
    facets["sector"] = [FacetValue(r["sector_id"], r["sector__name"], r["n"], r["sector_id"] == chosen["sector"])
                        for r in sector_rows]

    in_listed = base.filter(others("department"), nationwide=False).values("pk")
    specific = {
        row["department_id"]: row["n"]
        for row in Service.departments.through.objects.filter(service__in=in_listed)
        .values("department_id").annotate(n=Count("service_id"))
    }
    nationwide = totals["nationwide"]
    depts = [FacetValue(code, name, nationwide + specific.get(code, 0), code == chosen["department"].zfill(2))
             for code, name in Department.objects.all().values_list("code", "display_name")]
    facets["department"] = [d for d in depts if d.count]
    return facets


def service_history(*, service: Service) -> QuerySet:
    return service.history.select_related("history_user").order_by("-history_date")[:20]

