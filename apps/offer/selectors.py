"""Reads for the offer catalogue: every query is scoped to what the acting user may see."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict

from apps.accounts.models import Organization, User
from apps.offer.filters import ServiceFilter
from apps.offer.models import AssistanceType, Capacity, Modality, Service
from apps.offer.permissions import can_edit_service, sees_unpublished, service_visible_q
from apps.territory.models import Department


def service_base(*, user: User) -> QuerySet[Service]:
    """Services the user may see, without the list's joins (for counts and facets)."""
    return Service.objects.filter(service_visible_q(user))


def _with_relations(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organization").prefetch_related(
        "sectors", Prefetch("departments", queryset=Department.objects.order_by("display_name"))
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


def _others(filters, facet: str) -> dict:
    data = {k: filters.get(k) for k in ("q", *ServiceFilter.FACETS) if filters.get(k)}
    data.pop(facet, None)
    return data


def _choices(counts: dict, choices, selected: str) -> list[FacetValue]:
    return [FacetValue(str(v), str(label), counts.get(v, 0), str(v) == selected) for v, label in choices]


def service_facets(*, user: User, filters: QueryDict | dict | None = None) -> dict[str, list[FacetValue]]:
    """Counts per value of each facet, each counted with every *other* filter applied.

    Nine queries whatever the catalogue's size: one per facet, three for departments (services
    offered nationwide count in every department), and status only for people who see drafts.
    """
    filters = filters or {}
    base = service_base(user=user)

    def scoped(facet: str) -> QuerySet[Service]:
        return ServiceFilter(_others(filters, facet), queryset=base).qs.order_by()

    chosen = {f: str(filters.get(f) or "") for f in ServiceFilter.FACETS}
    facets: dict[str, list[FacetValue]] = {}

    rows = (scoped("sector").filter(sectors__isnull=False).values("sectors__slug", "sectors__name")
            .annotate(n=Count("pk")).order_by("-n", "sectors__name"))
    facets["sector"] = [
        FacetValue(r["sectors__slug"], r["sectors__name"], r["n"], r["sectors__slug"] == chosen["sector"]) for r in rows
    ]

    caps = scoped("capacity").aggregate(
        **{v: Count("pk", filter=Q(capacities__contains=f",{v},")) for v in Capacity.values}
    )
    facets["capacity"] = _choices(caps, Capacity.choices, chosen["capacity"])

    def by(facet: str, field: str) -> dict:
        return {r[field]: r["n"] for r in scoped(facet).values(field).annotate(n=Count("pk"))}

    facets["modality"] = _choices(by("modality", "modality"), Modality.choices, chosen["modality"])
    facets["type"] = _choices(by("type", "assistance_type"), AssistanceType.choices, chosen["type"])

    rows = (scoped("entity").values("organization_id", "organization__name")
            .annotate(n=Count("pk")).order_by("-n", "organization__name"))
    facets["entity"] = [FacetValue(str(r["organization_id"]), r["organization__name"], r["n"],
                                   str(r["organization_id"]) == chosen["entity"]) for r in rows]

    dept_qs = scoped("department")
    nationwide = dept_qs.filter(nationwide=True).count()
    specific = dict(
        Service.departments.through.objects.filter(service__in=dept_qs.filter(nationwide=False))
        .values("department_id").annotate(n=Count("service_id")).values_list("department_id", "n")
    )
    depts = [FacetValue(code, name, nationwide + specific.get(code, 0), code == chosen["department"].zfill(2))
             for code, name in Department.objects.order_by("display_name").values_list("code", "display_name")]
    facets["department"] = [d for d in depts if d.count]

    if sees_unpublished(user):
        facets["status"] = _choices(by("status", "status"), Service.Status.choices, chosen["status"])
    return facets


def service_history(*, service: Service) -> QuerySet:
    return service.history.select_related("history_user").order_by("-history_date")[:20]

