"""Everything that writes needs and their thread.

Each public function runs in one transaction, saves with `update_fields`, leaves history
(simple_history on Need and NeedMessage, a NeedStatusEvent per move) and notifies the people
concerned through the platform outbox (`apps.core.outbox.notify`, one row per person and event,
e-mailed after the commit or by the sweep).
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.core.history import history_note
from apps.core.outbox import notify
from apps.core.validators import no_line_breaks
from apps.demand.activity import need_status_record
from apps.demand.models import Need, NeedMessage, NeedStatusEvent, Status
from apps.demand.permissions import TransitionError, can_edit, can_file, can_message, transition_check
from apps.offer.models import Service
from apps.territory.models import Municipality

# The fields a territorial editor writes; everything else is set by the workflow.
NEED_FIELDS = ("sector", "topic", "capacity", "problem", "expected_result", "plan_goal", "priority",
               "modality", "window_start", "window_end", "participants", "service")
# Single-line fields: they go into e-mail subjects and spreadsheet cells.
SINGLE_LINE_FIELDS = ("topic", "plan_goal")
# What radicar asks for; a draft keeps partial work and needs only its topic.
FILING_REQUIRED = ("sector", "topic", "capacity", "problem", "expected_result")


def _validate(data: dict) -> None:
    for field in SINGLE_LINE_FIELDS:
        try:
            no_line_breaks(data.get(field))
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None
    if not (data.get("topic") or "").strip():
        raise ValidationError({"topic": _("Escriba el tema, aunque sea un borrador.")})
    start, end = data.get("window_start"), data.get("window_end")
    if start and end and end < start:
        raise ValidationError({"window_end": _("La fecha final debe ser posterior a la inicial.")})
    if "participants" in data and (not data["participants"] or data["participants"] < 1):
        raise ValidationError({"participants": _("Indique al menos un funcionario.")})
    service = data.get("service")
    if service is not None and service.status != Service.Status.PUBLISHED:
        raise ValidationError({"service": _("Ese servicio no está publicado en el catálogo.")})


def _check_complete(values: dict) -> None:
    """Refuse to radicar a need that misses what coordinators need to act on it."""
    missing = [f for f in FILING_REQUIRED if values.get(f) is None or not str(values[f]).strip()]
    if missing:
        raise ValidationError({f: _("Complete este dato para radicar la solicitud.") for f in missing})


def _territories(org: Organization, municipalities: Iterable[Municipality]) -> list[Municipality | None]:
    municipalities = list(dict.fromkeys(municipalities))
    if org.kind == Organization.Kind.MUNICIPALITY:
        if any(m.pk != org.municipality_id for m in municipalities):
            raise ValidationError(_("Un municipio solo radica solicitudes propias."))
        return [org.municipality]
    foreign = [m.display_name for m in municipalities if m.department_id != org.department_id]
    if foreign:
        raise ValidationError(
            _("Estos municipios no son de %(dept)s: %(names)s.")
            % {"dept": org.department.display_name if org.department else "", "names": ", ".join(foreign)}
        )
    territories: list[Municipality | None] = list(municipalities)
    return territories or [None]  # None: the department files for itself


@transaction.atomic
def need_file(*, user: User, data: dict, municipalities: Iterable[Municipality] = (),
              submit: bool = False, submission_key: str | None = None) -> list[Need]:
    """File a need as `user`'s organisation: one Need per territory, as draft or radicada.

    A municipality files for itself; a department for itself (no municipalities given) or on
    behalf of one or several of its municipalities (one need each, followed separately).

    `submission_key` (the form's one-time token, the API's Idempotency-Key) files once per
    author: if `user` already filed with it, nothing is written and the needs of that first
    submission come back with `replayed = True`. Two racing requests are settled by the unique
    constraint: the loser gets the winner's needs.
    """
    if not can_file(user):
        raise PermissionDenied(_("Solo los editores de alcaldías y gobernaciones radican solicitudes."))
    if submission_key and (earlier := _earlier_needs(user, submission_key)):
        return earlier
    _validate(data)
    if submit:
        _check_complete(data)
    org = user.organization
    assert org is not None  # can_file() admits only people of an alcaldía or a gobernación
    territories = _territories(org, municipalities)
    try:
        # A savepoint, so that losing the race leaves the caller's transaction usable.
        with transaction.atomic():
            needs = [_need_create(user=user, org=org, municipality=muni, data=data, submit=submit,
                                  submission_key=submission_key) for muni in territories]
    except IntegrityError:
        if submission_key and (earlier := _earlier_needs(user, submission_key)):
            return earlier
        raise
    return needs


def _need_create(*, user: User, org: Organization, municipality: Municipality | None, data: dict, submit: bool,
                 submission_key: str | None) -> Need:
    assert org.department_id is not None  # every territorial organisation has its department
    need = Need(organization=org, department_id=org.department_id, municipality=municipality, created_by=user,
                submission_key=submission_key or None, **{f: data[f] for f in NEED_FIELDS if f in data})
    need.save()
    if submit:
        need_transition(user=user, need=need, action="submit")
    return need


def _earlier_needs(user: User, submission_key: str) -> list[Need]:
    needs = list(Need.objects.filter(created_by=user, submission_key=submission_key).order_by("pk"))
    for need in needs:
        need.replayed = True
    return needs


@transaction.atomic
def need_draft_open(*, organization: Organization, data: dict, municipality: Municipality | None = None,
                    reason: str = "") -> Need:
    """A draft written for a territory by the platform, not by one of its people (a follow-up's
    "¿necesita más asistencia?" = sí): the organisation's editors find it among their drafts,
    complete it and radicar it (`need_update(submit=True)`); filing stays the territory's act.
    `municipality`: a department's draft on behalf of one of its municipalities.
    """
    if not organization.is_territorial or organization.department_id is None:
        raise ValidationError(_("Solo las alcaldías y las gobernaciones tienen solicitudes."))
    _validate(data)
    territory = _territories(organization, [municipality] if municipality is not None else [])[0]
    need = Need(organization=organization, department_id=organization.department_id, municipality=territory,
                **{f: data[f] for f in NEED_FIELDS if f in data})
    history_note(need, reason=reason or _("Borrador abierto por la plataforma"))
    need.save()
    return need


@transaction.atomic
def need_update(*, user: User, need: Need, data: dict, submit: bool = False) -> Need:
    """Change a draft's fields and, with `submit`, radicar it in the same transaction; once
    radicada a need is only moved, not edited."""
    if not can_edit(user, need):
        raise PermissionDenied(_("Solo se editan borradores de su organización."))
    merged = {f: data.get(f, getattr(need, f)) for f in NEED_FIELDS}
    _validate(merged)
    changed = [f for f in NEED_FIELDS if f in data and getattr(need, f) != data[f]]
    for field in changed:
        setattr(need, field, data[field])
    if changed:
        need.save(update_fields=[*changed, "updated_at"])
    if submit:
        need_transition(user=user, need=need, action="submit")
    return need


@transaction.atomic
def need_transition(*, user: User, need: Need, action: str, reason: str = "", by_agenda: bool = False) -> Need:
    """Apply the transition `action` (see models.TRANSITIONS) as `user`.

    Raises permissions.TransitionError with a Spanish reason when the move is not allowed from
    the current status or not for this person, and ValidationError when a reason is missing.
    A need is *programada* only with an event of the agenda: "schedule" is refused otherwise.
    `by_agenda`: the agenda moves the need because its event moved (apps.agenda.services), so the
    actor rule is the event's, not the need's.
    """
    given = need
    need = Need.objects.select_for_update().select_related("organization", "department").get(pk=need.pk)
    transition = transition_check(user, need, action, check_actor=not by_agenda)
    if transition.target == Status.SCHEDULED and not _has_agenda_event(need):
        raise TransitionError(
            _("Una solicitud se programa con una jornada de la agenda: acepte una sugerencia en la agenda "
              "o inclúyala en una jornada.")
        )
    if transition.target == Status.FILED:
        _check_complete({f: getattr(need, "sector_id" if f == "sector" else f) for f in FILING_REQUIRED})
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError(
            {"reason": _("Escriba el motivo: la entidad territorial lo leerá.")}
        )
    now = timezone.now()
    previous = need.status
    need.status, need.status_changed_at = transition.target, now
    fields = ["status", "status_changed_at", "updated_at"]
    if transition.needs_reason or reason:
        need.status_reason = reason
        fields.append("status_reason")
    if transition.target == Status.FILED:
        need.submitted_at = now
        fields.append("submitted_at")
    history_note(need, reason=reason or str(transition.label))
    need.save(update_fields=fields)
    event = NeedStatusEvent.objects.create(need=need, from_status=previous, to_status=need.status, actor=user,
                                           reason=reason)
    need_status_record(need=need, status_event=event)
    subject = _("Solicitud #%(id)s «%(topic)s»: ahora está %(status)s.") % {
        "id": need.pk, "topic": need.topic[:80], "status": need.get_status_display().lower()}
    text = subject + ("\n" + _("Motivo: %(reason)s") % {"reason": reason} if reason else "")
    _notify(need=need, actor=user, key=f"status:{event.pk}", kind="demand.status", subject=subject, text=text,
            coordinators=transition.target == Status.FILED)
    for field in fields:  # the caller's instance reflects the move too
        setattr(given, field, getattr(need, field))
    return need


def _has_agenda_event(need: Need) -> bool:
    from apps.agenda.models import Status as EventStatus

    return need.agenda_events.exclude(status=EventStatus.CANCELLED).exists()


@transaction.atomic
def need_message_add(*, user: User, need: Need, body: str, submission_key: str | None = None) -> NeedMessage:
    """Write in the need's thread and notify the other side.

    `submission_key` (the form's one-time token, the API's Idempotency-Key) writes once per
    author: a repeated post returns the first message, `replayed = True`, and notifies no one.
    """
    if not can_message(user, need):
        raise PermissionDenied(_("No puede escribir en esta solicitud."))
    if submission_key and (earlier := _earlier_message(user, submission_key)):
        return earlier
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Escriba el mensaje.")})
    try:
        with transaction.atomic():  # a savepoint: see need_file
            message = NeedMessage.objects.create(need=need, author=user, body=body,
                                                 submission_key=submission_key or None)
    except IntegrityError:
        if submission_key and (earlier := _earlier_message(user, submission_key)):
            return earlier
        raise
    subject = _("Mensaje nuevo de %(who)s en la solicitud #%(id)s «%(topic)s».") % {
        "who": user.full_name or user.email, "id": need.pk, "topic": need.topic[:80]}
    _notify(need=need, actor=user, key=f"message:{message.pk}", kind="demand.message", subject=subject,
            text=f"{subject}\n\n{body[:1000]}", coordinators=not user.is_coordinator)
    return message


def _earlier_message(user: User, submission_key: str) -> NeedMessage | None:
    message = NeedMessage.objects.filter(author=user, submission_key=submission_key).first()
    if message is not None:
        message.replayed = True
    return message


def _recipients(need: Need, actor: User, coordinators: bool) -> list[int]:
    """The territory's people always; coordinators when the territory is the one acting."""
    territory = Q(organization_id=need.organization_id)
    if need.municipality_id:
        territory |= Q(organization__municipality_id=need.municipality_id)
    people = User.objects.filter(territory, is_active=True, role=User.Role.EDITOR)
    ids = set(people.values_list("pk", flat=True))
    if coordinators:
        ids |= set(User.objects.filter(is_active=True, role=User.Role.COORDINATOR).values_list("pk", flat=True))
    ids.discard(actor.pk)
    return sorted(ids)


def _notify(*, need: Need, actor: User, key: str, kind: str, subject: str, text: str, coordinators: bool) -> None:
    """One outbox notice per person concerned; `key` names the event, so a retry writes nothing new."""
    recipients = User.objects.filter(pk__in=_recipients(need, actor, coordinators))
    for person in recipients:
        notify(key=f"demand:need:{need.pk}:{key}:{person.pk}", kind=kind, subject=subject, text=text,
               link=need.get_absolute_url(), recipient=person)
