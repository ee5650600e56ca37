"""The handover report (*informe de empalme de asistencia técnica*) of a municipality or a department.

What an outgoing administration leaves the incoming one about technical assistance, for a period
(by default the current government term, 2024-01-01 → 2027-12-31; the next administrations take
office on 2028-01-01): the needs still open, the assistance received, the follow-ups answered and
how its capacities changed, the commitments pending, its good practices, the guides its assistance
used, the contacts to keep, and its whole history in the period.

The history, the events received, the follow-ups and the capacity change come from the activity
record (apps.core.models.Activity); open needs, commitments, practices, guides and contacts are
read from their own tables, each in one query. Only the territory's people and coordinators read it
(apps.territory.timeline.is_territory_insider): it carries private rows and people's contacts.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization, User
from apps.core.models import Activity
from apps.core.vocabulary import Capacity
from apps.territory.models import Department, Municipality
from apps.territory.timeline import Month, by_month, territory_activity

TERM_STARTS = date(2024, 1, 1)
TERM_ENDS = date(2027, 12, 31)
# Colombian territorial government terms (Acto Legislativo 02 de 2002: four years from 1 January).
TERMS = [(date(2024, 1, 1), date(2027, 12, 31)), (date(2020, 1, 1), date(2023, 12, 31)),
         (date(2028, 1, 1), date(2031, 12, 31))]
# The newest rows the history shows (a PDF of 500 rows is ~25 pages, written in a few seconds).
HISTORY_LIMIT = 500


@dataclass
class CapacityChange:
    capacity: str
    label: str
    measurements: int
    before: float
    after: float
    change: float


@dataclass
class Handover:
    name: str
    code: str
    kind: str
    parent: str
    starts_on: date
    ends_on: date
    generated_at: datetime
    generated_by: str
    counts: dict[str, int]
    open_needs: list[Any]
    events: list[Activity]
    capacities: list[CapacityChange]
    commitments: list[Any]
    practices: list[Any]
    guidelines: list[Any]
    contacts: list[dict[str, str]]
    history: list[Month] = field(default_factory=list)
    history_truncated: bool = False
    history_limit: int = 0


def _capacities(rows: list[Activity]) -> list[CapacityChange]:
    """Average before, after and change per capacity over the period's "capacity.measured" rows."""
    by_capacity: dict[str, list[dict]] = {}
    for row in rows:
        data = row.data or {}
        if isinstance(data.get("capacity"), str) and all(isinstance(data.get(k), int | float)
                                                         for k in ("before", "after")):
            by_capacity.setdefault(data["capacity"], []).append(data)
    labels = dict(Capacity.choices)
    out = []
    for code, items in sorted(by_capacity.items()):
        before, after = mean(i["before"] for i in items), mean(i["after"] for i in items)
        out.append(CapacityChange(code, str(labels.get(code, code)), len(items), round(before, 1), round(after, 1),
                                  round(after - before, 1)))
    return out


def _open_needs(*, municipality: Municipality | None = None, department: Department | None = None) -> list:
    from apps.demand.models import OPEN_STATUSES, Need

    qs = Need.objects.filter(status__in=OPEN_STATUSES).select_related("sector", "municipality", "department")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    else:
        qs = qs.filter(department=department)
    return list(qs.order_by("submitted_at", "id"))


def _commitments(*, municipality: Municipality | None = None, department: Department | None = None) -> list:
    from apps.knowledge.models import Commitment, CommitmentStatus

    pending = (CommitmentStatus.PENDING, CommitmentStatus.IN_PROGRESS, CommitmentStatus.OVERDUE)
    if municipality is not None:
        where = Q(municipality=municipality) | Q(responsible__municipality=municipality)
    else:
        where = (Q(department=department) | Q(municipality__department=department)
                 | Q(responsible__department=department, responsible__kind=Organization.Kind.DEPARTMENT))
    qs = Commitment.objects.filter(where, status__in=pending).select_related("responsible", "municipality")
    return list(qs.distinct().order_by("due_on", "id"))


def _practices(*, municipality: Municipality | None = None, department: Department | None = None) -> list:
    from apps.knowledge.models import Practice

    where = Q(municipality=municipality) if municipality is not None else (
        Q(department=department) | Q(municipality__department=department))
    return list(Practice.objects.filter(where, published=True).select_related("sector", "municipality")
                .order_by("-created_at", "-id"))


def _guidelines(event_ids: set[int]) -> list:
    from apps.knowledge.models import Guideline

    if not event_ids:
        return []
    qs = Guideline.objects.filter(published=True, services__agenda_events__in=event_ids)
    return list(qs.select_related("organization").distinct().order_by("title", "id"))


def _contacts(event_ids: set[int]) -> list[dict[str, str]]:
    """The people of the providers who delivered the assistance: each service's contact, then the
    providers' own contact for those without a service."""
    from apps.offer.models import Service

    if not event_ids:
        return []
    contacts: dict[str, dict[str, str]] = {}
    services = Service.objects.filter(agenda_events__in=event_ids).select_related("organization").distinct()
    for service in services.order_by("organization__name", "name"):
        key = (service.contact_email or service.name).lower()
        contacts.setdefault(key, {"organization": service.organization.name, "name": service.contact_name,
                                  "email": service.contact_email, "phone": service.contact_phone,
                                  "about": service.name})
    with_service = {c["organization"] for c in contacts.values()}
    for org in Organization.objects.filter(agenda_events__in=event_ids).distinct().order_by("name"):
        if org.name not in with_service and (org.email or org.phone):
            contacts.setdefault((org.email or org.name).lower(), {"organization": org.name, "name": "",
                                                                  "email": org.email, "phone": org.phone,
                                                                  "about": ""})
    return list(contacts.values())


def _unique_events(rows: list[Activity]) -> list[Activity]:
    """One row per event (a department's report holds one row per municipality it reached)."""
    seen, out = set(), []
    for row in rows:
        if row.link not in seen:
            seen.add(row.link)
            out.append(row)
    return out


def handover_build(*, user: User, municipality: Municipality | None = None, department: Department | None = None,
                   starts_on: date = TERM_STARTS, ends_on: date = TERM_ENDS) -> Handover:
    """The report's content. The caller has checked `is_territory_insider(user, ...)`.

    Constant queries: the counts (one aggregate), the events received, the capacity measurements,
    the newest HISTORY_LIMIT rows of the history, and one query per other table.
    """
    territory = {"municipality": municipality} if municipality is not None else {"department": department}
    period = territory_activity(user=user, starts_on=starts_on, ends_on=ends_on, **territory)
    by_kind: dict[str, dict[str, int]] = {
        row["kind"]: {"n": row["n"], "links": row["links"]}
        for row in period.order_by().values("kind").annotate(n=Count("id"), links=Count("link", distinct=True))}
    rows = list(period[:HISTORY_LIMIT + 1])
    truncated = len(rows) > HISTORY_LIMIT
    chronological = list(reversed(rows[:HISTORY_LIMIT]))
    done = _unique_events(list(period.filter(kind="event.done").order_by("occurred_at", "id")[:HISTORY_LIMIT]))
    event_ids = {r.data["event"] for r in done if isinstance(r.data.get("event"), int)}
    measured = list(period.filter(kind="capacity.measured").order_by("occurred_at", "id")[:HISTORY_LIMIT])
    commitments = _commitments(**territory)
    open_needs = _open_needs(**territory)
    counts = {
        "needs_filed": by_kind.get("need.filed", {}).get("n", 0),
        "needs_open": len(open_needs),
        "events_done": by_kind.get("event.done", {}).get("links", 0),
        "followups": by_kind.get("followup.answered", {}).get("n", 0),
        "commitments_pending": len(commitments),
    }
    if municipality is not None:
        name, code, kind, parent = (municipality.display_name, municipality.code, str(_("Municipio")),
                                    municipality.department.display_name)
    else:
        assert department is not None
        name, code, kind, parent = department.display_name, department.code, str(_("Departamento")), ""
    return Handover(
        name=name, code=code, kind=kind, parent=parent, starts_on=starts_on, ends_on=ends_on,
        generated_at=timezone.localtime(), generated_by=user.full_name or user.email, counts=counts,
        open_needs=open_needs, events=done, capacities=_capacities(measured),
        commitments=commitments, practices=_practices(**territory), guidelines=_guidelines(event_ids),
        contacts=_contacts(event_ids), history=by_month(chronological), history_truncated=truncated,
        history_limit=HISTORY_LIMIT,
    )
