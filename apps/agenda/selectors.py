"""Reads for the agenda: every query is scoped to what the acting user may see
(`permissions.event_visible_q`) and costs a fixed number of queries whatever the rows."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import cast

import django_filters
from django.conf import settings
from django.db.models import Count, Exists, ManyToManyField, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization, User
from apps.agenda.models import ACTIVE_STATUSES, Attendee, Event, EventQuerySet, EventStatusEvent, Kind, Status
from apps.agenda.permissions import event_visible_q
from apps.core.vocabulary import Modality
from apps.demand.models import Need
from apps.demand.models import Status as NeedStatus
from apps.demand.permissions import need_scope
from apps.offer.models import Service
from apps.offer.permissions import service_visible_q
from apps.territory.models import Department, Municipality


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _through(field: str):
    relation = Event._meta.get_field(field)
    assert isinstance(relation, ManyToManyField)
    return relation.remote_field.through


class EventFilter(django_filters.FilterSet):
    """The agenda's filters, shared by the pages, the API and the export."""

    department = django_filters.CharFilter(method="filter_department", label=_("Departamento (código DIVIPOLA)"))
    municipality = django_filters.CharFilter(method="filter_municipality", label=_("Municipio (código DIVIPOLA)"))
    organization = django_filters.NumberFilter(method="filter_organization", label=_("Entidad que la presta (id)"))
    sector = django_filters.CharFilter(method="filter_sector", label=_("Sector"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Tipo"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Estado"))
    need = django_filters.NumberFilter(method="filter_need", label=_("Solicitud (id)"))
    service = django_filters.NumberFilter(method="filter_service", label=_("Servicio (id)"))
    date_from = django_filters.DateFilter(method="filter_from", label=_("Desde"))
    date_to = django_filters.DateFilter(method="filter_to", label=_("Hasta"))

    class Meta:
        model = Event
        fields = ["kind", "status"]

    def filter_department(self, qs, name, value):
        code = value.strip().zfill(2)
        return qs.filter(Q(pk__in=_through("municipalities").objects.filter(municipality__department_id=code)
                           .values("event_id"))
                         | Q(pk__in=_through("departments").objects.filter(department_id=code).values("event_id")))

    def filter_municipality(self, qs, name, value):
        return qs.filter(pk__in=_through("municipalities").objects.filter(municipality_id=value.strip())
                         .values("event_id"))

    def filter_organization(self, qs, name, value):
        return qs.filter(pk__in=_through("providers").objects.filter(organization_id=value).values("event_id"))

    def filter_sector(self, qs, name, value):
        by_service = Service.sectors.through.objects.filter(sector_id=value).values("service_id")
        return qs.filter(Q(pk__in=_through("services").objects.filter(service_id__in=by_service).values("event_id"))
                         | Q(pk__in=_through("needs").objects.filter(need__sector_id=value).values("event_id")))

    def filter_need(self, qs, name, value):
        return qs.filter(pk__in=_through("needs").objects.filter(need_id=value).values("event_id"))

    def filter_service(self, qs, name, value):
        return qs.filter(pk__in=_through("services").objects.filter(service_id=value).values("event_id"))

    def filter_from(self, qs, name, value):
        return qs.filter(ends_at__gte=_local_midnight(value))

    def filter_to(self, qs, name, value):
        return qs.filter(starts_at__lt=_local_midnight(value + timedelta(days=1)))


# Accept the API's `from`/`to` as well as the form names.
ALIASES = {"from": "date_from", "to": "date_to", "entity": "organization"}


def _normalise_filters(filters) -> dict:
    out = {}
    for key, value in (filters or {}).items():
        if value in (None, ""):
            continue
        out[ALIASES.get(key, key)] = value
    return out


def event_base(*, user: User) -> QuerySet[Event]:
    """Events the user may see, merged sources left out (they live on in their joint mission)."""
    return Event.objects.filter(event_visible_q(user), merged_into__isnull=True)


def with_relations(qs: QuerySet[Event]) -> QuerySet[Event]:
    """One query per relation for the whole list: providers, territories, services (see links.py)."""
    return cast(EventQuerySet, qs.select_related("period")).with_links()


def event_filter(*, user: User, filters=None) -> EventFilter:
    return EventFilter(_normalise_filters(filters), queryset=event_base(user=user))


def event_list(*, user: User, filters=None) -> QuerySet[Event]:
    """The agenda as this user sees it, filtered (see `EventFilter`; invalid filters are ignored).

    Queries when evaluated: the events (with their period), then providers, municipalities (with
    their departments), departments and services: 5, whatever the number of events.
    """
    filterset = event_filter(user=user, filters=filters)
    qs = filterset.qs if filterset.is_valid() else filterset.queryset
    return with_relations(qs).order_by("starts_at", "id")


def event_get(*, user: User, pk: int) -> Event:
    """One event the user may see (merged sources included: their page points at the mission);
    404 alike for missing and not visible. Attendees, needs and status history are prefetched."""
    event = (with_relations(Event.objects.filter(event_visible_q(user)))
             .select_related("merged_into", "created_by")
             .prefetch_related(
                 Prefetch("attendees", queryset=Attendee.objects.order_by("name")),
                 Prefetch("needs", queryset=Need.objects.select_related("municipality", "department", "sector")),
                 Prefetch("status_events", queryset=EventStatusEvent.objects.select_related("actor")),
                 "responsible", "merged_sources")
             .filter(pk=pk).first())
    if event is None:
        raise Http404
    return event


def events_between(*, user: User, start: date, end: date, filters=None) -> QuerySet[Event]:
    """Events touching [start, end] (inclusive local dates), active and realised first-class."""
    return event_list(user=user, filters=filters).filter(
        starts_at__lt=_local_midnight(end + timedelta(days=1)), ends_at__gte=_local_midnight(start))


def calendar_month(*, user: User, year: int, month: int, filters=None) -> QuerySet[Event]:
    start = date(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return events_between(user=user, start=start, end=end, filters=filters)


def calendar_week(*, user: User, day: date, filters=None) -> QuerySet[Event]:
    monday = day - timedelta(days=day.weekday())
    return events_between(user=user, start=monday, end=monday + timedelta(days=6), filters=filters)


def organization_events(*, user: User, organization: Organization) -> QuerySet[Event]:
    """The events an organisation provides, as this user sees them (entity pages, "Mi agenda")."""
    return event_list(user=user, filters={"organization": organization.pk})


def territory_events(*, user: User, municipality: Municipality | None = None,
                     department: Department | None = None) -> QuerySet[Event]:
    if municipality is not None:
        return event_list(user=user, filters={"municipality": municipality.pk})
    if department is None:
        raise ValueError("territory_events() needs a municipality or a department")
    return event_list(user=user, filters={"department": department.pk})


def need_events(*, user: User, need: Need) -> QuerySet[Event]:
    return event_list(user=user, filters={"need": need.pk})


def my_agenda(*, user: User) -> QuerySet[Event]:
    """The signed-in person's organisation's agenda: what it provides, plus what happens in its
    territory (a municipality, or a department and its municipalities); coordinators everything."""
    if user.is_coordinator:
        return event_list(user=user)
    org = user.organization
    if org is None:
        return Event.objects.none()
    scope = Q(pk__in=_through("providers").objects.filter(organization_id=org.pk).values("event_id"))
    if org.kind == Organization.Kind.MUNICIPALITY:
        scope |= Q(pk__in=_through("municipalities").objects.filter(municipality_id=org.municipality_id)
                   .values("event_id"))
    elif org.kind == Organization.Kind.DEPARTMENT:
        scope |= Q(pk__in=_through("municipalities").objects.filter(municipality__department_id=org.department_id)
                   .values("event_id"))
        scope |= Q(pk__in=_through("departments").objects.filter(department_id=org.department_id).values("event_id"))
    return event_list(user=user).filter(scope)


# --- Conflicts and trips -------------------------------------------------------------------

@dataclass
class ConflictGroup:
    """Events of several providers in one territory within the window."""

    territory: Municipality | Department
    events: list[Event]

    @property
    def event_ids(self) -> list[int]:
        return [e.pk for e in self.events]

    @property
    def key(self) -> str:
        return "-".join(str(pk) for pk in sorted(self.event_ids))

    @property
    def providers(self) -> list[Organization]:
        seen: dict[int, Organization] = {}
        for event in self.events:
            for org in event.providers.all():
                seen.setdefault(org.pk, org)
        return sorted(seen.values(), key=lambda o: o.name)

    @property
    def starts_at(self) -> datetime:
        return min(e.starts_at for e in self.events)

    @property
    def ends_at(self) -> datetime:
        return max(e.ends_at for e in self.events)


def window_days() -> int:
    return int(getattr(settings, "AGENDA_CONFLICT_WINDOW_DAYS", 15))


def _clusters(events: list[Event], window: timedelta) -> list[list[Event]]:
    """Chain events (sorted by start) whose start is within `window` of the previous ones' end."""
    out: list[list[Event]] = []
    current: list[Event] = []
    reach = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    for event in sorted(events, key=lambda e: (e.starts_at, e.pk)):
        if current and event.starts_at - reach <= window:
            current.append(event)
            reach = max(reach, event.ends_at)
        else:
            if len(current) > 1:
                out.append(current)
            current, reach = [event], event.ends_at
    if len(current) > 1:
        out.append(current)
    return out


def _several_providers(events: list[Event]) -> bool:
    ids = [{o.pk for o in e.providers.all()} for e in events]
    return len(set().union(*ids)) > 1


def _active_events(*, user: User, date_from: date | None, date_to: date | None, department: str | None):
    qs = event_base(user=user).filter(status__in=ACTIVE_STATUSES)
    if date_from:
        qs = qs.filter(ends_at__gte=_local_midnight(date_from))
    if date_to:
        qs = qs.filter(starts_at__lt=_local_midnight(date_to + timedelta(days=1)))
    if department:
        qs = EventFilter({"department": department}, queryset=qs).qs
    return with_relations(qs)


def conflict_groups(*, user: User, department: str | None = None, date_from: date | None = None,
                    date_to: date | None = None, window: int | None = None) -> list[ConflictGroup]:
    """Groups of active events of several providers in one territory (a municipality, or a
    department as a whole) within `window` days of each other, soonest first.

    From today on unless `date_from` says otherwise (a past conflict can no longer be merged).
    Five queries whatever the number of events (the active events and their relations); grouping
    is done in Python. An event may appear in several groups (one per shared territory); groups
    with the same events are reported once.
    """
    span = timedelta(days=window if window is not None else window_days())
    date_from = date_from or timezone.localdate()
    events = list(_active_events(user=user, date_from=date_from, date_to=date_to, department=department))
    by_territory: dict[tuple, list[Event]] = defaultdict(list)
    territories: dict[tuple, Municipality | Department] = {}
    for event in events:
        for muni in event.municipalities.all():
            by_territory[("m", muni.pk)].append(event)
            territories[("m", muni.pk)] = muni
        for dept in event.departments.all():
            by_territory[("d", dept.pk)].append(event)
            territories[("d", dept.pk)] = dept
    groups, seen = [], set()
    for key, items in by_territory.items():
        for cluster in _clusters(items, span):
            group = ConflictGroup(territory=territories[key], events=cluster)
            if group.key in seen or not _several_providers(cluster):
                continue
            seen.add(group.key)
            groups.append(group)
    return sorted(groups, key=lambda g: (g.starts_at, g.key))


def conflicts_for_event(*, event: Event, window: int | None = None) -> list[Event]:
    """Active events of other providers sharing a territory with `event` within the window."""
    if event.status not in ACTIVE_STATUSES or event.merged_into_id:
        return []
    span = timedelta(days=window if window is not None else window_days())
    munis = _through("municipalities").objects.filter(event_id=event.pk).values("municipality_id")
    depts = _through("departments").objects.filter(event_id=event.pk).values("department_id")
    providers = set(_through("providers").objects.filter(event_id=event.pk).values_list("organization_id", flat=True))
    candidates = (Event.objects.filter(status__in=ACTIVE_STATUSES, merged_into__isnull=True)
                  .exclude(pk=event.pk)
                  .filter(starts_at__lte=event.ends_at + span, ends_at__gte=event.starts_at - span)
                  .filter(Q(pk__in=_through("municipalities").objects.filter(municipality_id__in=munis)
                            .values("event_id"))
                          | Q(pk__in=_through("departments").objects.filter(department_id__in=depts)
                              .values("event_id")))
                  .prefetch_related("providers").order_by("starts_at", "id"))
    return [other for other in candidates if {p.pk for p in other.providers.all()} - providers
            or providers - {p.pk for p in other.providers.all()}]


@dataclass
class Trip:
    """Presencial events of one provider in several municipalities of one department within the
    window: one trip could serve them all."""

    organization: Organization
    department: Department
    events: list[Event]
    municipalities: list[Municipality] = field(default_factory=list)

    @property
    def event_ids(self) -> list[int]:
        return [e.pk for e in self.events]


def trip_suggestions(*, user: User, department: str | None = None, date_from: date | None = None,
                     date_to: date | None = None, window: int | None = None) -> list[Trip]:
    """"Neighbouring" is "in the same department": no municipal geometry ships with the platform."""
    span = timedelta(days=window if window is not None else window_days())
    events = [e for e in _active_events(user=user, date_from=date_from, date_to=date_to, department=department)
              if e.modality in (Modality.ONSITE, Modality.MIXED)]
    buckets: dict[tuple[int, str], list[Event]] = defaultdict(list)
    orgs: dict[int, Organization] = {}
    depts: dict[str, Department] = {}
    for event in events:
        for org in event.providers.all():
            orgs[org.pk] = org
            for dept_code in {m.department_id for m in event.municipalities.all()}:
                buckets[(org.pk, dept_code)].append(event)
                depts[dept_code] = next(m.department for m in event.municipalities.all()
                                        if m.department_id == dept_code)
    trips = []
    for (org_id, dept_code), items in buckets.items():
        for cluster in _clusters(items, span):
            munis = {m.pk: m for e in cluster for m in e.municipalities.all() if m.department_id == dept_code}
            if len(munis) > 1:
                trips.append(Trip(orgs[org_id], depts[dept_code], cluster,
                                  sorted(munis.values(), key=lambda m: m.display_name)))
    return sorted(trips, key=lambda t: (min(e.starts_at for e in t.events), t.organization.name))


# --- Load and waiting ----------------------------------------------------------------------

def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return _local_midnight(date(year, 1, 1)), _local_midnight(date(year + 1, 1, 1))


def service_load(*, user: User, year: int | None = None, organization: Organization | None = None) -> QuerySet:
    """Published or visible services with `events_this_year` (not cancelled) beside their yearly capacity.

    One query: a conditional count over the service's events.
    """
    year = year or timezone.localdate().year
    start, end = _year_bounds(year)
    qs = Service.objects.filter(service_visible_q(user)).select_related("organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    counted = Q(agenda_events__starts_at__gte=start, agenda_events__starts_at__lt=end,
                agenda_events__merged_into__isnull=True) & ~Q(agenda_events__status=Status.CANCELLED)
    return qs.annotate(events_this_year=Count("agenda_events", filter=counted)).order_by("organization__name", "name")


def entity_load(*, user: User, year: int | None = None) -> QuerySet[Organization]:
    """Providing organisations with their events this year: total, still planned, realised. One query."""
    year = year or timezone.localdate().year
    start, end = _year_bounds(year)
    in_year = Q(agenda_events__starts_at__gte=start, agenda_events__starts_at__lt=end,
                agenda_events__merged_into__isnull=True)
    visible = Event.objects.filter(event_visible_q(user)).values("pk")
    in_year &= Q(agenda_events__in=visible)
    status = "agenda_events__status"
    return (Organization.objects.filter(kind__in=[Organization.Kind.NATIONAL_ENTITY, Organization.Kind.DEPARTMENT,
                                                  Organization.Kind.DNP])
            .annotate(events_total=Count("agenda_events", filter=in_year & ~Q(**{status: Status.CANCELLED})),
                      events_planned=Count("agenda_events", filter=in_year & Q(**{f"{status}__in": ACTIVE_STATUSES})),
                      events_done=Count("agenda_events", filter=in_year & Q(**{status: Status.DONE})))
            .filter(events_total__gt=0).order_by("-events_total", "name"))


def waiting_needs(*, user: User, days: int | None = None) -> QuerySet[Need]:
    """Needs radicadas (or in review) for more than `days` with no active event: oldest first."""
    days = days if days is not None else int(getattr(settings, "AGENDA_WAITING_DAYS", 30))
    cutoff = timezone.now() - timedelta(days=days)
    planned = _through("needs").objects.filter(need_id=OuterRef("pk"), event__status__in=ACTIVE_STATUSES)
    return (Need.objects.filter(need_scope(user), status__in=[NeedStatus.FILED, NeedStatus.IN_REVIEW],
                                submitted_at__lt=cutoff)
            .filter(~Exists(planned))
            .select_related("organization", "department", "municipality", "sector")
            .order_by("submitted_at", "id"))


def events_without_attendees(*, user: User, date_from: date | None = None) -> QuerySet[Event]:
    """Upcoming active events nobody is expected at (the weekly digest lists them)."""
    date_from = date_from or timezone.localdate()
    return (event_list(user=user).filter(status__in=ACTIVE_STATUSES, starts_at__gte=_local_midnight(date_from))
            .annotate(n_attendees=Count("attendees")).filter(n_attendees=0))


def ids_of(events: Iterable[Event]) -> list[int]:
    return [e.pk for e in events]


def event_needs_visible(*, user: User, event: Event) -> list[Need]:
    """The event's needs this person may open (none for anonymous visitors: needs are not public).

    A joint mission answers several territories' needs; each territory sees only its own."""
    if not user.is_authenticated:
        return []
    needs = list(event.needs.all())
    allowed = set(Need.objects.filter(need_scope(user), pk__in=[n.pk for n in needs]).values_list("pk", flat=True))
    return [n for n in needs if n.pk in allowed]
