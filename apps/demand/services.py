"""Everything that writes needs, their thread and their notifications.

Each public function runs in one transaction, saves with `update_fields`, leaves history
(simple_history on Need and NeedMessage, a NeedStatusEvent per move) and writes Notification
rows whose e-mails are queued with `transaction.on_commit`: if the broker is down the rows stay
unsent and `notifications_sweep` sends them later.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.core.validators import no_line_breaks
from apps.demand.models import Need, NeedMessage, NeedStatusEvent, Notification, Status
from apps.demand.permissions import TransitionError, can_edit, can_file, can_message, transition_check
from apps.offer.models import Service
from apps.territory.models import Municipality

logger = logging.getLogger(__name__)

# The fields a territorial editor writes; everything else is set by the workflow.
NEED_FIELDS = ("sector", "topic", "capacity", "problem", "expected_result", "plan_goal", "priority",
               "modality", "window_start", "window_end", "participants", "service")
# Single-line fields: they go into e-mail subjects and spreadsheet cells.
SINGLE_LINE_FIELDS = ("topic", "plan_goal")
SWEEP_GRACE = timedelta(minutes=2)


def _validate(data: dict) -> None:
    for field in SINGLE_LINE_FIELDS:
        try:
            no_line_breaks(data.get(field))
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None
    start, end = data.get("window_start"), data.get("window_end")
    if start and end and end < start:
        raise ValidationError({"window_end": _("La fecha final debe ser posterior a la inicial.")})
    if not data.get("participants") or data["participants"] < 1:
        raise ValidationError({"participants": _("Indique al menos un funcionario.")})
    service = data.get("service")
    if service is not None and service.status != Service.Status.PUBLISHED:
        raise ValidationError({"service": _("Ese servicio no está publicado en el catálogo.")})


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
            % {"dept": org.department.display_name, "names": ", ".join(foreign)}
        )
    return municipalities or [None]


@transaction.atomic
def need_file(*, user: User, data: dict, municipalities: Iterable[Municipality] = (),
              submit: bool = False) -> list[Need]:
    """File a need as `user`'s organisation: one Need per territory, as draft or radicada.

    A municipality files for itself; a department for itself (no municipalities given) or on
    behalf of one or several of its municipalities (one need each, followed separately).
    """
    if not can_file(user):
        raise PermissionDenied(_("Solo los editores de alcaldías y gobernaciones radican solicitudes."))
    _validate(data)
    org = user.organization
    needs = []
    for muni in _territories(org, municipalities):
        need = Need(organization=org, department_id=org.department_id, municipality=muni, created_by=user,
                    **{f: data[f] for f in NEED_FIELDS if f in data})
        need.save()
        needs.append(need)
        if submit:
            need_transition(user=user, need=need, action="submit")
    return needs


@transaction.atomic
def need_update(*, user: User, need: Need, data: dict) -> Need:
    """Change a draft's fields; once radicada a need is only moved, not edited."""
    if not can_edit(user, need):
        raise PermissionDenied(_("Solo se editan borradores de su organización."))
    merged = {f: data.get(f, getattr(need, f)) for f in NEED_FIELDS}
    _validate(merged)
    changed = [f for f in NEED_FIELDS if f in data and getattr(need, f) != data[f]]
    for field in changed:
        setattr(need, field, data[field])
    if changed:
        need.save(update_fields=[*changed, "updated_at"])
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
    need._change_reason = reason or str(transition.label)
    need.save(update_fields=fields)
    NeedStatusEvent.objects.create(need=need, from_status=previous, to_status=need.status, actor=user, reason=reason)
    text = _("Solicitud #%(id)s «%(topic)s»: ahora está %(status)s.") % {
        "id": need.pk, "topic": need.topic[:80], "status": need.get_status_display().lower()}
    _notify(need=need, actor=user, kind=Notification.Kind.STATUS, text=text,
            coordinators=transition.target == Status.FILED)
    for field in fields:  # the caller's instance reflects the move too
        setattr(given, field, getattr(need, field))
    return need


def _has_agenda_event(need: Need) -> bool:
    from apps.agenda.models import Status as EventStatus

    return need.agenda_events.exclude(status=EventStatus.CANCELLED).exists()


@transaction.atomic
def need_message_add(*, user: User, need: Need, body: str) -> NeedMessage:
    """Write in the need's thread and notify the other side."""
    if not can_message(user, need):
        raise PermissionDenied(_("No puede escribir en esta solicitud."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Escriba el mensaje.")})
    message = NeedMessage.objects.create(need=need, author=user, body=body)
    text = _("Mensaje nuevo de %(who)s en la solicitud #%(id)s «%(topic)s».") % {
        "who": user.full_name or user.email, "id": need.pk, "topic": need.topic[:80]}
    _notify(need=need, actor=user, kind=Notification.Kind.MESSAGE, text=text, coordinators=not user.is_coordinator)
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


def _notify(*, need: Need, actor: User, kind: str, text: str, coordinators: bool) -> None:
    rows = Notification.objects.bulk_create(
        [Notification(recipient_id=pk, need=need, kind=kind, text=text[:300])
         for pk in _recipients(need, actor, coordinators)]
    )
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: notifications_queue(ids))


def notifications_queue(ids: list[int]) -> None:
    """Hand the rows to Celery; a broker that is down only delays them until the sweep."""
    from apps.demand.tasks import notification_send

    for pk in ids:
        try:
            notification_send.delay(pk)
        except Exception:  # noqa: BLE001 - the rows stay unsent and the sweep sends them
            # Stop at the first failure: each further try would make the person wait for the
            # broker's connection timeout again.
            logger.warning("demand: notifications %s not queued; the sweep will send them", ids, exc_info=True)
            return


def notification_deliver(*, notification_id: int) -> bool:
    """E-mail one notification once: claim it with a conditional update, then send.

    Returns False when another worker (or an earlier run) already claimed it. If sending
    fails the claim is released so a retry or the sweep can try again.
    """
    claimed_at = timezone.now()
    won = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(sent_at=claimed_at)
    if not won:
        return False
    notice = Notification.objects.select_related("recipient", "need").get(pk=notification_id)
    context = {"notice": notice, "need": notice.need,
               "url": settings.SITE_URL.rstrip("/") + notice.need.get_absolute_url()}
    try:
        send_mail(
            subject=_("[Agenda ATT] %(text)s") % {"text": notice.text[:150]},
            message=render_to_string("demand/email/notification.txt", context),
            from_email=None, recipient_list=[notice.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id, sent_at=claimed_at).update(sent_at=None)
        raise
    return True


def notifications_sweep(*, older_than: timedelta = SWEEP_GRACE, limit: int = 500) -> int:
    """Send notifications left unsent (broker down, worker killed); returns how many were sent."""
    cutoff = timezone.now() - older_than
    ids = list(Notification.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
               .order_by("created_at").values_list("pk", flat=True)[:limit])
    sent = 0
    for pk in ids:
        try:
            sent += notification_deliver(notification_id=pk)
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("demand: notification %s could not be sent", pk)
    return sent


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
