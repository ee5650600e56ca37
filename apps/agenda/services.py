"""Everything that writes the agenda: events, their moves, matches accepted, merges, periods, feeds.

Each public function runs in one transaction and leaves history (simple_history on Event, an
`EventStatusEvent` per move). The needs an event answers follow it through the demand workflow
(`apps.demand.services.need_transition`): scheduled when a coordinator puts them on an event,
*atendida* when the event is realised, back to review when their only event is cancelled.
Notices (conflicts) are outbox rows (`apps.core.outbox.notify`) with idempotency keys.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ManyToManyField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.agenda.activity import event_status_record, period_rows_publish
from apps.agenda.models import (
    ACTIVE_STATUSES,
    AgendaPeriod,
    Attendee,
    CalendarFeed,
    Event,
    EventStatusEvent,
    Kind,
    Status,
)
from apps.agenda.permissions import (
    TransitionError,
    can_coordinate,
    can_edit_event,
    can_propose,
    transition_check,
)
from apps.core.history import history_note
from apps.core.vocabulary import Modality
from apps.demand.models import Need
from apps.demand.models import Status as NeedStatus
from apps.offer.models import Service

EVENT_FIELDS = ("title", "kind", "description", "starts_at", "ends_at", "modality", "place", "video_url",
                "recorded_after_the_fact", "cost")
M2M_FIELDS = ("providers", "municipalities", "departments", "services", "needs", "responsible")
SCHEDULABLE = (NeedStatus.FILED, NeedStatus.IN_REVIEW)
DEFAULT_START = time(8, 0)
DEFAULT_HOURS = 4


# --- Working days ----------------------------------------------------------------------------

@lru_cache(maxsize=32)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CO", years=year, language="es")


def non_working_days(start: date, end: date) -> list[tuple[date, str]]:
    """Colombian public holidays (with their names) and weekend days between two dates, inclusive."""
    out = []
    day = start
    while day <= end:
        name = _holidays(day.year).get(day)
        if name:
            out.append((day, str(name)))
        elif day.weekday() == 5:
            out.append((day, _("sábado")))
        elif day.weekday() == 6:
            out.append((day, _("domingo")))
        day += timedelta(days=1)
    return out


WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")


def day_label(day: date) -> str:
    """"lunes 22 de marzo de 2027", as people write it (Django's format capitalises the names)."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} de {MONTHS[day.month - 1]} de {day.year}"


def working_days_check(starts_at: datetime, ends_at: datetime, *, confirmed: bool = False) -> None:
    """Refuse an event that touches a holiday or a weekend, naming the day, unless confirmed."""
    if confirmed:
        return
    days = non_working_days(timezone.localdate(starts_at), timezone.localdate(ends_at))
    if not days:
        return
    day, name = days[0]
    label = day_label(day)
    if name in (_("sábado"), _("domingo")):
        message = _("El %(day)s es fin de semana.") % {"day": label}
    else:
        message = _("El %(day)s es festivo en Colombia: %(name)s.") % {"day": label, "name": name}
    raise ValidationError(
        {"starts_at": message + " " + _("Elija otro día o confirme que la jornada sí se hace ese día.")},
        code="non_working_day",
    )


def next_working_start(after: date) -> datetime:
    """The first working day on or after `after`, at 8:00 in Bogotá."""
    day = after
    while non_working_days(day, day):
        day += timedelta(days=1)
    return datetime.combine(day, DEFAULT_START, tzinfo=timezone.get_current_timezone())


# --- Events ----------------------------------------------------------------------------------

def _as_list(value) -> list:
    return list(value) if value is not None else []


def _validate(*, user: User, data: dict, event: Event | None = None, confirm_non_working_day: bool = False) -> None:
    errors: dict[str, list[str]] = {}
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if not (data.get("title") or "").strip():
        errors["title"] = [_("Escriba el título de la jornada.")]
    if starts_at is None or ends_at is None:
        errors["starts_at"] = [_("Indique el inicio y el fin de la jornada.")]
    elif timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        errors["starts_at"] = [_("Las fechas deben llevar zona horaria.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("El fin debe ser posterior al inicio.")]
    providers = _as_list(data.get("providers"))
    if not providers:
        errors["providers"] = [_("Elija al menos una entidad que preste la jornada.")]
    if not _as_list(data.get("municipalities")) and not _as_list(data.get("departments")):
        errors["municipalities"] = [_("Elija al menos un municipio o un departamento.")]
    if not user.is_coordinator:
        if user.organization_id not in {p.pk for p in providers}:
            errors["providers"] = [_("Su organización debe estar entre las que prestan la jornada.")]
        provider_ids = {p.pk for p in providers}
        foreign = [s.name for s in _as_list(data.get("services")) if s.organization_id not in provider_ids]
        if foreign:
            errors["services"] = [_("Estos servicios no son de las entidades de la jornada: %(names)s.")
                                  % {"names": ", ".join(foreign)}]
        if _as_list(data.get("needs")):
            errors["needs"] = [_("Solo la coordinación DNP vincula solicitudes a una jornada.")]
    unpublished = [s.name for s in _as_list(data.get("services")) if s.status != Service.Status.PUBLISHED]
    if unpublished:
        errors["services"] = [_("Estos servicios no están publicados: %(names)s.") % {"names": ", ".join(unpublished)}]
    if errors:
        raise ValidationError(errors)
    dates_changed = event is None or (starts_at, ends_at) != (event.starts_at, event.ends_at)
    if dates_changed and starts_at and ends_at and not data.get("recorded_after_the_fact"):
        working_days_check(starts_at, ends_at, confirmed=confirm_non_working_day)


def _set_attendees(event: Event, attendees: Iterable[dict]) -> None:
    rows, seen = [], set()
    for item in attendees:
        email = (item.get("email") or "").strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        rows.append(Attendee(event=event, name=(item.get("name") or email).strip()[:150], email=email,
                             organization=item.get("organization"),
                             organization_name=(item.get("organization_name") or "").strip()[:200]))
    event.attendees.exclude(email__in=seen).delete()
    existing = set(event.attendees.values_list("email", flat=True))
    Attendee.objects.bulk_create([r for r in rows if r.email not in existing])


def _open_period_for(starts_at: datetime) -> AgendaPeriod | None:
    day = timezone.localdate(starts_at)
    return AgendaPeriod.objects.filter(status=AgendaPeriod.Status.OPEN, starts_on__lte=day,
                                       ends_on__gte=day).first()


def _record(event: Event, user: User | None, previous: str, reason: str = "", **extra) -> None:
    status_event = EventStatusEvent.objects.create(event=event, from_status=previous, to_status=event.status,
                                                   actor=user, reason=reason, **extra)
    event_status_record(event=event, status_event=status_event)


@transaction.atomic
def event_create(*, user: User, data: dict, confirm_non_working_day: bool = False) -> Event:
    """Create an event (a proposal; a past one when `recorded_after_the_fact`).

    `data`: the model fields of EVENT_FIELDS, the M2M lists (`providers`, `municipalities`,
    `departments`, `services`, `needs`, `responsible`: model instances) and `attendees` (dicts
    with name, email and optionally organization / organization_name). Editors propose for
    their own organisation; a coordinator's event schedules the needs it answers. A past one is
    realised at once and gets the follow-ups of a realised event (territorio, entidad,
    capacidad_despues; never capacidad_antes): `apps.monitoring.services.followups_on_event_recorded`.
    Raises ValidationError (Spanish, per field; code "non_working_day" for a holiday or a weekend).
    """
    if not can_propose(user):
        raise PermissionDenied(_("Solo la coordinación DNP y las entidades oferentes programan jornadas."))
    data = dict(data)
    if not user.is_coordinator and not data.get("providers"):
        data["providers"] = [user.organization]
    _validate(user=user, data=data, confirm_non_working_day=confirm_non_working_day)
    past = bool(data.get("recorded_after_the_fact"))
    if past and data["ends_at"] > timezone.now():
        raise ValidationError({"ends_at": _("Una jornada ya realizada debe haber terminado.")})
    event = Event(created_by=user, **{f: data[f] for f in EVENT_FIELDS if f in data and data[f] is not None})
    event.period = _open_period_for(event.starts_at)
    event.status = Status.DONE if past else Status.PROPOSED
    history_note(event, reason=_("Registrada después de realizada") if past else _("Propuesta"))
    event.save()
    for field in M2M_FIELDS:
        if data.get(field):
            getattr(event, field).set(data[field])
    _set_attendees(event, data.get("attendees") or [])
    _record(event, user, "", _("Registrada después de realizada") if past else "")
    if user.is_coordinator:
        _schedule_needs(user, event)
        if past:
            _attend_needs(user, event)
    if past:
        from apps.monitoring.services import followups_on_event_recorded

        followups_on_event_recorded(event=event)
    conflicts_notify(event=event)
    return event


@transaction.atomic
def event_update(*, user: User, event: Event, data: dict, confirm_non_working_day: bool = False) -> Event:
    """Change an event's fields, territories, services, needs and attendees (keys absent stay).

    The dates of a confirmed event change only through "reschedule" (with its reason). An event
    on the agenda is not turned into one "recorded after the fact": it is realised through
    "complete" (which moves its needs and sends its follow-ups), so ticking it here is refused.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied(_("No puede modificar esta jornada."))
    if data.get("recorded_after_the_fact") and not event.recorded_after_the_fact:
        raise ValidationError({"recorded_after_the_fact": _(
            "Esta jornada ya está en la agenda: cuando se realice, use «Marcar como realizada» "
            "(así quedan atendidas sus solicitudes y se envían las encuestas de seguimiento).")})
    merged = {f: data.get(f, getattr(event, f)) for f in EVENT_FIELDS}
    for field in M2M_FIELDS:
        merged[field] = data[field] if field in data else list(getattr(event, field).all())
    _validate(user=user, data=merged, event=event, confirm_non_working_day=confirm_non_working_day)
    if event.status == Status.CONFIRMED and (merged["starts_at"], merged["ends_at"]) != (event.starts_at,
                                                                                           event.ends_at):
        raise ValidationError({"starts_at": _("Para cambiar las fechas de una jornada confirmada use «Reprogramar».")})
    changed = [f for f in EVENT_FIELDS if f in data and getattr(event, f) != data[f]]
    for field in changed:
        setattr(event, field, data[field])
    if changed:
        history_note(event, reason=_("Editada"))
        event.save(update_fields=[*changed, "updated_at"])
    for field in M2M_FIELDS:
        if field in data:
            getattr(event, field).set(data[field])
    if "attendees" in data:
        _set_attendees(event, data["attendees"])
    if user.is_coordinator:
        _schedule_needs(user, event)
    conflicts_notify(event=event)
    return event


@transaction.atomic
def event_transition(*, user: User, event: Event, action: str, reason: str = "",
                     starts_at: datetime | None = None, ends_at: datetime | None = None,
                     confirm_non_working_day: bool = False) -> Event:
    """Apply `action` (models.TRANSITIONS) as `user`; the event's needs follow.

    confirm: schedules the needs still waiting. complete: refused before the event starts; its
    needs become *atendida*. cancel: needs left without another active event go back to review.
    reschedule: new dates (checked for holidays), back to *propuesta*; history keeps the old dates.
    """
    given = event
    event = Event.objects.select_for_update().get(pk=event.pk)
    transition = transition_check(user, event, action)
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": _("Escriba el motivo: las entidades y los territorios lo leerán.")})
    previous, fields = event.status, ["status", "updated_at"]
    extra: dict = {}
    if action == "complete" and event.starts_at > timezone.now():
        raise TransitionError(_("La jornada aún no ha empezado: se marca como realizada después de hacerse."))
    if action == "reschedule":
        if starts_at is None or ends_at is None:
            raise ValidationError({"starts_at": _("Indique las nuevas fechas de la jornada.")})
        if ends_at <= starts_at:
            raise ValidationError({"ends_at": _("El fin debe ser posterior al inicio.")})
        working_days_check(starts_at, ends_at, confirmed=confirm_non_working_day)
        extra = {"previous_starts_at": event.starts_at, "previous_ends_at": event.ends_at}
        event.starts_at, event.ends_at = starts_at, ends_at
        fields += ["starts_at", "ends_at"]
    if reason or transition.needs_reason:
        event.status_reason = reason
        fields.append("status_reason")
    if action == "reschedule":
        # Recorded as "→ reprogramada" (with the old dates) then "→ propuesta": see models.
        event.status = Status.RESCHEDULED
        _record(event, user, previous, reason, **extra)
        previous = Status.RESCHEDULED
    event.status = transition.target
    history_note(event, reason=reason or str(transition.label))
    event.save(update_fields=fields)
    _record(event, user, previous, reason)
    if action == "confirm":
        _schedule_needs(user, event)
    elif action == "complete":
        _attend_needs(user, event)
    elif action == "cancel":
        _unschedule_needs(user, event, _("Jornada cancelada: %(reason)s") % {"reason": reason})
    if action == "reschedule":
        conflicts_notify(event=event)
    if action in ("confirm", "complete"):
        # Follow-up surveys: capacity "before" on confirmation; the others once realised.
        from apps.monitoring.services import followups_on_event_confirmed, followups_on_event_done

        (followups_on_event_confirmed if action == "confirm" else followups_on_event_done)(event=event)
    for field in fields:
        setattr(given, field, getattr(event, field))
    return event


def _schedule_needs(user: User, event: Event) -> None:
    from apps.demand.services import need_transition

    for need in event.needs.filter(status__in=SCHEDULABLE):
        need_transition(user=user, need=need, action="schedule", by_agenda=True)


def _attend_needs(user: User, event: Event) -> None:
    from apps.demand.services import need_transition

    _schedule_needs(user, event)
    for need in event.needs.filter(status=NeedStatus.SCHEDULED):
        need_transition(user=user, need=need, action="attend", by_agenda=True)


def _unschedule_needs(user: User, event: Event, reason: str) -> None:
    from apps.demand.services import need_transition

    still_planned = Event.objects.filter(status__in=ACTIVE_STATUSES).exclude(pk=event.pk)
    for need in event.needs.filter(status=NeedStatus.SCHEDULED).exclude(agenda_events__in=still_planned):
        need_transition(user=user, need=need, action="unschedule", reason=reason[:500], by_agenda=True)


# --- Matches ---------------------------------------------------------------------------------

KIND_BY_ASSISTANCE = {"capacitacion": Kind.TRAINING, "mesa_tecnica": Kind.ROUNDTABLE}


def _default_start(need: Need) -> datetime:
    earliest = timezone.localdate() + timedelta(days=14)
    if need.window_start and need.window_start > earliest:
        earliest = need.window_start
    return next_working_start(earliest)


@transaction.atomic
def match_accept(*, user: User, need: Need, service: Service, event: Event | None = None,
                 starts_at: datetime | None = None, ends_at: datetime | None = None,
                 confirm_non_working_day: bool = False) -> Event:
    """Accept a suggested match in one step: create an event (or extend `event`) and schedule the need.

    A new event is a proposal of the service's organisation in the need's territory; its date is
    the one given, else the first working day two weeks from now (or the need's window). Extending
    adds the need, the service, its organisation and the territory to an active event.
    """
    if not can_coordinate(user):
        raise PermissionDenied(_("Solo la coordinación DNP acepta sugerencias de la agenda."))
    if need.status not in SCHEDULABLE:
        raise ValidationError({"need": _("La solicitud #%(id)s ya no espera programación (está %(status)s).")
                               % {"id": need.pk, "status": need.get_status_display().lower()}})
    if service.status != Service.Status.PUBLISHED:
        raise ValidationError({"service": _("Ese servicio no está publicado en el catálogo.")})
    territory = ({"municipalities": [need.municipality]} if need.municipality_id
                 else {"departments": [need.department]})
    if event is not None:
        if event.status not in ACTIVE_STATUSES or event.merged_into_id:
            raise ValidationError({"event": _("Solo se amplían jornadas propuestas o confirmadas.")})
        event.needs.add(need)
        event.services.add(service)
        event.providers.add(service.organization)
        for field, items in territory.items():
            getattr(event, field).add(*items)
        _schedule_needs(user, event)
        conflicts_notify(event=event)
        return event
    starts_at = starts_at or _default_start(need)
    ends_at = ends_at or starts_at + timedelta(hours=DEFAULT_HOURS)
    modality = service.modality if service.modality != Modality.MIXED else need.modality
    data = {
        "title": f"{service.name} — {need.territory_name}"[:200],
        "kind": KIND_BY_ASSISTANCE.get(service.assistance_type, Kind.TECHNICAL_ASSISTANCE),
        "description": _("Atiende la solicitud #%(id)s: %(topic)s.") % {"id": need.pk, "topic": need.topic},
        # A virtual event's link is added by the provider once it exists.
        "starts_at": starts_at, "ends_at": ends_at, "modality": modality,
        "providers": [service.organization], "services": [service], "needs": [need], **territory,
    }
    return event_create(user=user, data=data, confirm_non_working_day=confirm_non_working_day)


# --- Coordination ----------------------------------------------------------------------------

@transaction.atomic
def events_merge(*, user: User, events: Iterable[Event], title: str = "") -> Event:
    """Merge events into one joint mission: the earliest one keeps its dates and receives the others'
    providers, territories, services, needs, responsible people and attendees; the others are
    cancelled with `merged_into` pointing at it (so it keeps a link to its sources).
    """
    if not can_coordinate(user):
        raise PermissionDenied(_("Solo la coordinación DNP fusiona jornadas."))
    ids = sorted({e.pk for e in events})
    rows = list(Event.objects.select_for_update().filter(pk__in=ids).order_by("starts_at", "id"))
    if len(rows) < 2:
        raise ValidationError({"events": _("Elija al menos dos jornadas para fusionar.")})
    closed = [f"#{e.pk}" for e in rows if e.status not in ACTIVE_STATUSES or e.merged_into_id]
    if closed:
        raise ValidationError({"events": _("Solo se fusionan jornadas propuestas o confirmadas: %(ids)s.")
                               % {"ids": ", ".join(closed)}})
    target, sources = rows[0], rows[1:]
    for field in ("providers", "municipalities", "departments", "services", "needs", "responsible"):
        relation = Event._meta.get_field(field)
        assert isinstance(relation, ManyToManyField)
        through, column = relation.remote_field.through, relation.m2m_reverse_name()
        assert through is not None  # Django sets the auto-created table's model at class creation
        wanted = set(through._default_manager.filter(event_id__in=ids).values_list(column, flat=True))
        getattr(target, field).add(*wanted)
    known = set(target.attendees.values_list("email", flat=True))
    for attendee in Attendee.objects.filter(event__in=sources).order_by("id"):
        if attendee.email not in known:
            known.add(attendee.email)
            Attendee.objects.create(event=target, name=attendee.name, email=attendee.email,
                                    organization=attendee.organization, organization_name=attendee.organization_name,
                                    user=attendee.user)
    changed = ["updated_at"]
    if title.strip():
        target.title = title.strip()[:200]
        changed.append("title")
    names = "; ".join(e.title for e in sources)
    target.description = "\n\n".join(filter(None, [target.description, _("Misión conjunta: incluye %(names)s.")
                                                   % {"names": names}]))
    changed.append("description")
    history_note(target, reason=_("Fusión de jornadas"))
    target.save(update_fields=changed)
    reason = _("Fusionada en la misión conjunta #%(id)s «%(title)s».") % {"id": target.pk, "title": target.title}
    for source in sources:
        previous = source.status
        source.status, source.status_reason, source.merged_into = Status.CANCELLED, reason, target
        history_note(source, reason=reason)
        source.save(update_fields=["status", "status_reason", "merged_into", "updated_at"])
        _record(source, user, previous, reason)
    return target


def conflicts_notify(*, event: Event) -> int:
    """Tell the providers of `event` and of the events it conflicts with (one notice per pair and
    person, idempotent); returns how many notices were written."""
    from apps.agenda.selectors import conflicts_for_event

    others = conflicts_for_event(event=event)
    if not others:
        return 0
    from apps.core.outbox import notify

    written = 0
    for other in others:
        pair = sorted([event.pk, other.pk])
        orgs = {p.pk for p in event.providers.all()} | {p.pk for p in other.providers.all()}
        people = User.objects.filter(organization_id__in=orgs, is_active=True, role=User.Role.EDITOR)
        text = _("La jornada «%(a)s» (%(a_day)s) y la jornada «%(b)s» (%(b_day)s) llegan al mismo territorio "
                 "con pocos días de diferencia. La coordinación DNP puede fusionarlas en una misión conjunta.") % {
            "a": event.title, "a_day": date_format(timezone.localtime(event.starts_at), "j \\d\\e F"),
            "b": other.title, "b_day": date_format(timezone.localtime(other.starts_at), "j \\d\\e F")}
        for person in people:
            notify(key=f"agenda:conflict:{pair[0]}:{pair[1]}:user:{person.pk}", kind="agenda_conflict",
                   subject=_("Posible cruce de jornadas en el mismo territorio"), text=text,
                   link=event.get_absolute_url(), recipient=person)
            written += 1
    return written


# --- Periods ---------------------------------------------------------------------------------

@transaction.atomic
def period_create(*, user: User, name: str, starts_on: date, ends_on: date) -> AgendaPeriod:
    if not can_coordinate(user):
        raise PermissionDenied(_("Solo la coordinación DNP crea periodos de la agenda."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Escriba el nombre del periodo, por ejemplo 2027-T1.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("El periodo debe terminar después de empezar.")})
    if AgendaPeriod.objects.filter(name=name).exists():
        raise ValidationError({"name": _("Ya existe un periodo con ese nombre.")})
    overlapping = AgendaPeriod.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping:
        raise ValidationError({"starts_on": _("Se cruza con el periodo %(name)s.") % {"name": overlapping.name}})
    period = AgendaPeriod.objects.create(name=name, starts_on=starts_on, ends_on=ends_on)
    _collect(period)
    return period


def _collect(period: AgendaPeriod) -> int:
    """Attach the period's events that belong to no period yet (by their local start date)."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.starts_on, time.min, tzinfo=tz)
    end = datetime.combine(period.ends_on + timedelta(days=1), time.min, tzinfo=tz)
    return Event.objects.filter(period__isnull=True, starts_at__gte=start, starts_at__lt=end).update(period=period)


@transaction.atomic
def period_close(*, user: User, period: AgendaPeriod) -> AgendaPeriod:
    """Close a period: its events are collected and no new event joins it by itself."""
    if not can_coordinate(user):
        raise PermissionDenied(_("Solo la coordinación DNP cierra periodos de la agenda."))
    given = period
    period = AgendaPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != AgendaPeriod.Status.OPEN:
        raise ValidationError({"status": _("El periodo %(name)s ya está cerrado.") % {"name": period.name}})
    _collect(period)
    period.status = given.status = AgendaPeriod.Status.CLOSED
    period.save(update_fields=["status"])
    return period


@transaction.atomic
def period_publish(*, user: User, period: AgendaPeriod) -> AgendaPeriod:
    """Publish a period (closing it first if open): its events become the public agenda."""
    if not can_coordinate(user):
        raise PermissionDenied(_("Solo la coordinación DNP publica la agenda."))
    given = period
    period = AgendaPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status == AgendaPeriod.Status.PUBLISHED:
        raise ValidationError({"status": _("El periodo %(name)s ya está publicado.") % {"name": period.name}})
    _collect(period)
    period.status, period.published_at, period.published_by = (AgendaPeriod.Status.PUBLISHED, timezone.now(), user)
    period.save(update_fields=["status", "published_at", "published_by"])
    period_rows_publish(period=period)
    given.status, given.published_at, given.published_by = period.status, period.published_at, user
    return period


# --- Calendar feeds --------------------------------------------------------------------------

def _feed_owner_check(user: User, organization: Organization) -> None:
    if not user.is_authenticated or not (user.organization_id == organization.pk or user.is_coordinator):
        raise PermissionDenied(_("Solo las personas de la organización administran su calendario."))


@transaction.atomic
def feed_get_or_create(*, user: User, organization: Organization) -> CalendarFeed:
    """The organisation's private feed; a revoked one gets a new secret."""
    _feed_owner_check(user, organization)
    feed, created = CalendarFeed.objects.get_or_create(organization=organization)
    if not created and feed.revoked_at:
        return feed_rotate(user=user, organization=organization)
    return feed


@transaction.atomic
def feed_rotate(*, user: User, organization: Organization) -> CalendarFeed:
    """A new secret URL for the organisation's feed; the old one stops working at once."""
    from apps.agenda.models import new_feed_token

    _feed_owner_check(user, organization)
    feed, _created = CalendarFeed.objects.get_or_create(organization=organization)
    feed.token, feed.revoked_at = new_feed_token(), None
    feed.save(update_fields=["token", "revoked_at"])
    return feed


@transaction.atomic
def feed_revoke(*, user: User, organization: Organization) -> None:
    _feed_owner_check(user, organization)
    CalendarFeed.objects.filter(organization=organization, revoked_at__isnull=True).update(revoked_at=timezone.now())


def conflict_window_days() -> int:
    return int(getattr(settings, "AGENDA_CONFLICT_WINDOW_DAYS", 15))
