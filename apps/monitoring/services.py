"""Everything that writes monitoring: follow-up invitations, their e-mails and reminders, answers.

Invitations are written when an event moves (`apps.agenda.services.event_transition` calls
`followups_on_event_confirmed` / `followups_on_event_done`), one per person, audience and event
(the unique constraint makes a second call write nothing):

- confirmed → capacidad_antes: the territorial attendees (if none, the editors of the event's
  territories), asked about the capacities the event's needs named (all of them if none);
- realised → territorio: each territorial attendee (an attendee without an organisation counts as
  one of the event's territory); entidad: the attendees of the providing organisations and the
  event's responsible people; capacidad_despues: the same people as "before", `send_after_days`
  (90) later;
- recorded after the fact (`apps.agenda.services.event_create` with `recorded_after_the_fact`
  calls `followups_on_event_recorded`) → the same three as realised, dated from the event's end
  rather than from the record (capacidad_despues still measures ~90 days after the event; when
  that is already past it goes at once) and e-mailed by the next sweep. No capacidad_antes: the
  event is over, so an answer now would measure its effect, not the starting point (the capacity
  change indicator only pairs people with both answers; these count in the "after" level only).

A due invitation gets its e-mail (an outbox row keyed `followup:<id>:invite`) when it is written
or, for later ones, from the beat sweep (`followups_send_due`), which also writes the reminders
(`followup:<id>:reminder:<n>`) at each of the template's `reminder_days` after sending, to those
who have not answered and whose link has not expired. Each send and each reminder *claims* its
invitation with a conditional update first, so two sweeps never write the same e-mail twice.

Answering (`followup_answer`) is single use: the invitation is claimed (`answered_at IS NULL`)
in the transaction that records the live submission (`apps.surveys.live.submission_record`,
unique `source_key`), so a double submit records one answer.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.agenda.models import Attendee, Event
from apps.agenda.models import Status as EventStatus
from apps.core.outbox import notify
from apps.core.text import normalize
from apps.core.vocabulary import Capacity
from apps.monitoring.activity import followup_answer_record
from apps.monitoring.links import invitation_path
from apps.monitoring.models import CAPACITY_AUDIENCES, Audience, FollowUpTemplate, Invitation, new_nonce
from apps.offer.models import Service
from apps.surveys.live import submission_record, survey_form_questions
from apps.surveys.models import Answer, Question
from apps.territory.models import Department, Municipality

# How many invitations one sweep sends at most (the next sweep takes the rest).
SWEEP_BATCH = 500


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    user: User | None = None
    organization: Organization | None = None
    municipality: Municipality | None = None
    department: Department | None = None


# --- Who is asked ---------------------------------------------------------------------------

@dataclass
class _EventFacts:
    event: Event
    providers: set[int]
    municipalities: list[Municipality]
    departments: list[Department]

    def territory(self, org: Organization | None) -> tuple[Municipality | None, Department | None]:
        """Whom a territorial respondent speaks for: their organisation's municipality or department,
        else the event's single municipality (or single department)."""
        if org is not None and org.kind == Organization.Kind.MUNICIPALITY and org.municipality_id:
            return org.municipality, org.department
        if org is not None and org.kind == Organization.Kind.DEPARTMENT:
            return None, org.department
        if len(self.municipalities) == 1:
            return self.municipalities[0], self.municipalities[0].department
        departments = {m.department_id for m in self.municipalities} | {d.pk for d in self.departments}
        if len(departments) == 1:
            dept = self.departments[0] if self.departments else self.municipalities[0].department
            return None, dept
        return None, None


def _facts(event: Event) -> _EventFacts:
    return _EventFacts(
        event=event, providers=set(event.providers.values_list("pk", flat=True)),
        municipalities=list(event.municipalities.select_related("department").order_by("code")),
        departments=list(event.departments.order_by("code")))


def _attendees(event: Event) -> list[Attendee]:
    return list(event.attendees.select_related(
        "organization__municipality", "organization__department", "user__organization__municipality",
        "user__organization__department").order_by("id"))


def _attendee_org(attendee: Attendee) -> Organization | None:
    if attendee.organization is not None:
        return attendee.organization
    return attendee.user.organization if attendee.user is not None else None


def territorial_recipients(facts: _EventFacts) -> list[Recipient]:
    """The event's territorial attendees: of a municipality or a department, or of no known
    organisation (people of the territory typed by name)."""
    out = []
    for attendee in _attendees(facts.event):
        org = _attendee_org(attendee)
        if org is not None and not org.is_territorial:
            continue
        municipality, department = facts.territory(org)
        out.append(Recipient(email=attendee.email, name=attendee.name, user=attendee.user, organization=org,
                             municipality=municipality, department=department))
    return out


def _territory_editors(facts: _EventFacts) -> list[Recipient]:
    territory = Q(organization__municipality__in=[m.pk for m in facts.municipalities]) | Q(
        organization__kind=Organization.Kind.DEPARTMENT, organization__department__in=[d.pk for d in facts.departments])
    people = (User.objects.filter(territory, is_active=True, role=User.Role.EDITOR)
              .select_related("organization__municipality", "organization__department").order_by("id"))
    out = []
    for person in people:
        municipality, department = facts.territory(person.organization)
        out.append(Recipient(email=person.email, name=person.full_name, user=person, organization=person.organization,
                             municipality=municipality, department=department))
    return out


def capacity_recipients(facts: _EventFacts) -> list[Recipient]:
    return territorial_recipients(facts) or _territory_editors(facts)


def provider_recipients(facts: _EventFacts) -> list[Recipient]:
    """Attendees of the providing organisations and the event's responsible people."""
    out = []
    for attendee in _attendees(facts.event):
        org = _attendee_org(attendee)
        if org is not None and org.pk in facts.providers:
            out.append(Recipient(email=attendee.email, name=attendee.name, user=attendee.user, organization=org,
                                 department=org.department if org.kind == Organization.Kind.DEPARTMENT else None))
    for person in facts.event.responsible.select_related("organization__department").order_by("id"):
        org = person.organization
        out.append(Recipient(email=person.email, name=person.full_name, user=person, organization=org,
                             department=org.department if org and org.kind == Organization.Kind.DEPARTMENT else None))
    return out


def event_capacities(event: Event) -> list[str]:
    """The capacities the event's needs named, in the vocabulary's order; all of them if none."""
    named = set(event.needs.exclude(capacity="").values_list("capacity", flat=True))
    return [c for c in Capacity.values if c in named] or list(Capacity.values)


# --- Writing invitations ---------------------------------------------------------------------

def _template(audience: str) -> FollowUpTemplate | None:
    return FollowUpTemplate.objects.select_related("survey").filter(audience=audience, active=True).first()


def _invite(*, event: Event, template: FollowUpTemplate, recipients: list[Recipient], send_at: datetime,
            capacities: list[str] | None = None) -> int:
    """Write one invitation per distinct address (an existing one stays as it is); returns how many are new."""
    rows, seen = [], set()
    for r in recipients:
        email = (r.email or "").strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        rows.append(Invitation(
            event=event, template=template, audience=template.audience, name=(r.name or "")[:150], email=email,
            user=r.user, organization=r.organization, municipality=r.municipality,
            department=r.department or (r.municipality.department if r.municipality else None),
            capacities=capacities or [], send_at=send_at))
    before = Invitation.objects.filter(event=event, audience=template.audience).count()
    Invitation.objects.bulk_create(rows, ignore_conflicts=True)
    return Invitation.objects.filter(event=event, audience=template.audience).count() - before


@transaction.atomic
def followups_on_event_confirmed(*, event: Event, now: datetime | None = None) -> int:
    """Capacity self-assessment "before": invite and e-mail the territory's people now (see the module)."""
    now = now or timezone.now()
    template = _template(Audience.CAPACITY_BEFORE)
    if template is None:
        return 0
    facts = _facts(event)
    created = _invite(event=event, template=template, recipients=capacity_recipients(facts),
                      send_at=now + timedelta(days=template.send_after_days), capacities=event_capacities(event))
    _send_event_due(event, now)
    return created


@transaction.atomic
def followups_on_event_done(*, event: Event, now: datetime | None = None) -> int:
    """Invitations of a realised event (territorio, entidad, capacidad_despues); the due ones are e-mailed now."""
    now = now or timezone.now()
    created = _invite_done(event, since=now)
    _send_event_due(event, now)
    return created


@transaction.atomic
def followups_on_event_recorded(*, event: Event) -> int:
    """Invitations of an event recorded as realised after the fact: those of a realised event, each
    `send_after_days` after the event's end; the beat sweep (`followups_send_due`) e-mails the due
    ones within minutes. No capacidad_antes (see the module). Returns how many are new."""
    return _invite_done(event, since=event.ends_at)


def _invite_done(event: Event, *, since: datetime) -> int:
    facts = _facts(event)
    created = 0
    plans = (
        (Audience.TERRITORY, territorial_recipients, None),
        (Audience.PROVIDER, provider_recipients, None),
        (Audience.CAPACITY_AFTER, capacity_recipients, event_capacities(event)),
    )
    for audience, recipients, capacities in plans:
        template = _template(audience)
        if template is not None:
            created += _invite(event=event, template=template, recipients=recipients(facts),
                               send_at=since + timedelta(days=template.send_after_days), capacities=capacities)
    return created


# --- E-mails and reminders -------------------------------------------------------------------

def _day(value: datetime) -> str:
    from apps.agenda.services import day_label

    return day_label(timezone.localdate(value))


def _fill(text: str, event: Event) -> str:
    # str.replace, not str.format: admins write these texts and may type other braces.
    return text.replace("{jornada}", event.title).replace("{fecha}", _day(event.starts_at))


def _address(invitation: Invitation) -> dict:
    user = invitation.user
    if user is not None and user.is_active and user.email.lower() == invitation.email:
        return {"recipient": user}
    return {"email": invitation.email}


def _invitation_text(invitation: Invitation, lead: str = "") -> str:
    assert invitation.expires_at is not None
    parts = [lead] if lead else []
    parts.append(_fill(invitation.template.intro, invitation.event))
    until = _day(invitation.expires_at)
    parts.append(_("Puede responder hasta el %(day)s, sin cuenta en la plataforma.") % {"day": until})
    return "\n\n".join(p for p in parts if p)


def _expiry(invitation: Invitation, now: datetime) -> datetime:
    expires = now + timedelta(days=invitation.template.valid_days)
    if invitation.audience == Audience.CAPACITY_BEFORE and now < invitation.event.starts_at < expires:
        # "Before" means before: an answer given after the event started would measure its effect.
        return invitation.event.starts_at
    return expires


def _send(invitation: Invitation, now: datetime) -> bool:
    """Claim an unsent invitation and write its e-mail; False when another sweep took it first."""
    expires = _expiry(invitation, now)
    if not Invitation.objects.filter(pk=invitation.pk, sent_at=None).update(sent_at=now, expires_at=expires):
        return False
    invitation.sent_at, invitation.expires_at = now, expires
    notify(key=f"followup:{invitation.pk}:invite", kind="followup.invite",
           subject=_fill(invitation.template.subject, invitation.event), text=_invitation_text(invitation),
           link=invitation_path(invitation), **_address(invitation))
    return True


def _due(now: datetime):
    return (Invitation.objects.filter(sent_at=None, send_at__lte=now, template__active=True)
            .exclude(event__status=EventStatus.CANCELLED)
            .select_related("template", "event", "user").order_by("send_at", "id"))


def _send_event_due(event: Event, now: datetime) -> int:
    return sum(_send(inv, now) for inv in _due(now).filter(event=event))


def _reminder_number(invitation: Invitation, now: datetime) -> int:
    """How many of the template's reminder days have passed since the invitation was sent."""
    assert invitation.sent_at is not None
    days = sorted(d for d in invitation.template.reminder_days or [] if isinstance(d, int) and d > 0)
    return sum(1 for d in days if now >= invitation.sent_at + timedelta(days=d))


def _remind(invitation: Invitation, now: datetime) -> bool:
    """Write the reminder now due (one, the latest, even if the sweep was down for a while)."""
    number = _reminder_number(invitation, now)
    if number <= invitation.reminders_sent:
        return False
    claimed = Invitation.objects.filter(pk=invitation.pk, reminders_sent=invitation.reminders_sent, answered_at=None,
                                        expires_at__gt=now).update(reminders_sent=number)
    if not claimed:
        return False
    lead = _("Recordatorio: aún no ha respondido el seguimiento de la jornada «%(title)s». Le toma pocos minutos.") % {
        "title": invitation.event.title}
    notify(key=f"followup:{invitation.pk}:reminder:{number}", kind="followup.reminder",
           subject=_("Recordatorio: %(subject)s") % {"subject": _fill(invitation.template.subject, invitation.event)},
           text=_invitation_text(invitation, lead), link=invitation_path(invitation), **_address(invitation))
    return True


def followups_send_due(*, now: datetime | None = None) -> dict[str, int]:
    """The beat sweep: e-mail the invitations now due, then the reminders now due; each row in its
    own transaction, so one failure never stops the others. Returns the counts written."""
    now = now or timezone.now()
    sent = reminded = 0
    for invitation in list(_due(now)[:SWEEP_BATCH]):
        with transaction.atomic():
            sent += _send(invitation, now)
    for invitation in list(_reminders_due(now)[:SWEEP_BATCH]):
        with transaction.atomic():
            reminded += _remind(invitation, now)
    return {"sent": sent, "reminded": reminded}


def _reminders_due(now: datetime):
    """Unanswered, unexpired invitations owing a reminder: for each template's n-th reminder day d,
    those sent at least d days ago with fewer than n reminders (the database does the filtering;
    the sweep never reads the invitations that owe nothing)."""
    owing = Q(pk__in=[])
    for template in FollowUpTemplate.objects.filter(active=True):
        days = sorted(d for d in template.reminder_days or [] if isinstance(d, int) and d > 0)
        for n, day in enumerate(days, start=1):
            owing |= Q(template=template, reminders_sent__lt=n, sent_at__lte=now - timedelta(days=day))
    return (Invitation.objects.filter(owing, answered_at=None, expires_at__gt=now)
            .exclude(event__status=EventStatus.CANCELLED)
            .select_related("template", "event", "user").order_by("sent_at", "id"))


@transaction.atomic
def invitation_resend(*, user: User, invitation: Invitation, now: datetime | None = None) -> Invitation:
    """A fresh link (coordinators; e.g. the person lost the e-mail): the nonce rotates, so every
    link sent before stops working; the link is valid `valid_days` from now and reminders restart."""
    if not user.is_coordinator:
        raise PermissionDenied(_("Solo la coordinación DNP reenvía enlaces de seguimiento."))
    now = now or timezone.now()
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("template", "event", "user")
                  .get(pk=invitation.pk))
    if invitation.answered_at is not None:
        raise ValidationError(_("Esta persona ya respondió: no hace falta reenviar el enlace."))
    invitation.nonce = new_nonce()
    invitation.sent_at, invitation.expires_at, invitation.reminders_sent = now, _expiry(invitation, now), 0
    invitation.save(update_fields=["nonce", "sent_at", "expires_at", "reminders_sent"])
    notify(key=f"followup:{invitation.pk}:resend:{invitation.nonce}", kind="followup.invite",
           subject=_fill(invitation.template.subject, invitation.event), text=_invitation_text(invitation),
           link=invitation_path(invitation), **_address(invitation))
    return invitation


# --- Answers ---------------------------------------------------------------------------------

def invitation_questions(invitation: Invitation) -> list[Question]:
    """The questions this respondent is asked (capacity audiences: the event's capacities)."""
    capacities = invitation.capacities if invitation.audience in CAPACITY_AUDIENCES else None
    return survey_form_questions(invitation.template.survey, capacities=capacities)


def invitation_state(invitation: Invitation, now: datetime | None = None) -> str:
    """"open", "answered" or "expired" (what the answer page shows)."""
    if invitation.answered_at is not None:
        return "answered"
    if invitation.expires_at is not None and invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


@transaction.atomic
def followup_answer(*, invitation: Invitation, answers: dict[str, object], questions: list[Question] | None = None,
                    now: datetime | None = None) -> Invitation | None:
    """Record the invitation's answer once; None when it was already answered (or has expired) —
    the second of two submits lands here and records nothing.

    Raises ValidationError (Spanish, keyed by question key) for bad answers, having written nothing.
    A "sí" to "¿necesita más asistencia?" leaves a draft need for the respondent's territory.
    """
    now = now or timezone.now()
    open_now = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    # The claim: on PostgreSQL a concurrent second submit waits on this row and then finds it answered.
    if not Invitation.objects.filter(open_now, pk=invitation.pk, nonce=invitation.nonce,
                                     answered_at=None).update(answered_at=now):
        return None
    survey = invitation.template.survey
    entity = invitation.organization.national_entity if invitation.organization is not None else None
    submission = submission_record(
        survey=survey, source_key=f"followup:{invitation.pk}", answers=answers,
        questions=questions if questions is not None else invitation_questions(invitation),
        municipality=invitation.municipality, department=invitation.department, national_entity=entity,
        started_at=invitation.sent_at)
    if submission is None:
        transaction.set_rollback(True)
        return None
    invitation.answered_at, invitation.submission = now, submission
    fields = ["submission"]
    if invitation.audience == Audience.TERRITORY and _wants_more_help(submission.pk):
        invitation.opened_need = _open_need(invitation)
        fields.append("opened_need")
    invitation.save(update_fields=fields)
    followup_answer_record(invitation=invitation, occurred_at=now)
    return invitation


def _wants_more_help(submission_id: int) -> bool:
    """A "sí" to the question whose role is `more_help` (compared without accents: admins edit options)."""
    chosen = Answer.objects.filter(submission_id=submission_id, question__role="more_help",
                                   option__isnull=False).values_list("option__text", flat=True)
    return any(normalize(text) == "si" for text in chosen)


def _territory_organization(invitation: Invitation) -> Organization | None:
    """The alcaldía of the respondent's municipality, else its gobernación (filing on its behalf)."""
    if invitation.municipality_id:
        org = Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY,
                                          municipality_id=invitation.municipality_id).first()
        if org is not None:
            return org
    department_id = invitation.department_id or (invitation.municipality.department_id
                                                 if invitation.municipality else None)
    return Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, department_id=department_id).first()


def _need_data(event: Event, capacities: list[str]) -> dict:
    need = event.needs.select_related("sector", "service").order_by("id").first()
    service = event.services.filter(status=Service.Status.PUBLISHED).order_by("id").first()
    sector = need.sector if need is not None and need.sector_id else (
        service.sectors.order_by("pk").first() if service is not None else None)
    topic = need.topic if need is not None else event.title
    capacity = need.capacity if need is not None and need.capacity else (capacities[0] if len(capacities) == 1 else "")
    when = _day(event.starts_at)
    return {
        "topic": " ".join(topic.split())[:200], "sector": sector, "capacity": capacity,
        "service": service if service is not None else (need.service if need is not None else None),
        "modality": event.modality,
        "problem": _("Solicitada desde el seguimiento de la jornada «%(title)s» (%(day)s): quien respondió "
                     "pidió más asistencia sobre este tema. Complete el problema y el resultado esperado "
                     "antes de radicarla.") % {"title": event.title, "day": when},
    }


def _open_need(invitation: Invitation):
    from apps.demand.services import need_draft_open

    org = _territory_organization(invitation)
    if org is None:
        return None  # a territory without an organisation on the platform: nobody could file it
    event = invitation.event
    data = _need_data(event, event_capacities(event))
    if data["service"] is not None and data["service"].status != Service.Status.PUBLISHED:
        data["service"] = None
    need = need_draft_open(organization=org, data=data,
                           municipality=invitation.municipality if org.kind == Organization.Kind.DEPARTMENT else None,
                           reason=_("Abierta desde el seguimiento de la jornada #%(id)s") % {"id": event.pk})
    editors = User.objects.filter(is_active=True, role=User.Role.EDITOR, organization=org).order_by("id")
    subject = _("Borrador de solicitud desde el seguimiento de «%(title)s»") % {"title": event.title}
    text = _("Alguien de su territorio respondió el seguimiento de la jornada «%(title)s» y pidió más asistencia "
             "sobre «%(topic)s». Dejamos un borrador de solicitud con los datos de la jornada: complételo y "
             "radíquelo para que la coordinación lo programe.") % {"title": event.title, "topic": need.topic}
    for person in editors:
        notify(key=f"followup:{invitation.pk}:need:{need.pk}:{person.pk}", kind="followup.need_draft",
               subject=subject, text=text, link=need.get_absolute_url(), recipient=person)
    return need


# --- Frozen periods (INDICATORS helper) --------------------------------------------------------------

@transaction.atomic
def period_freeze(*, user: User, period):
    """Close a published (or closed) agenda period for monitoring: store all its indicators with every
    breakdown in a FrozenPeriod, so later edits to events or answers never change its figures.

    Coordinators only. Idempotent: freezing a frozen period returns it unchanged (the first figures
    stay; they are never recomputed). Returns the FrozenPeriod.
    """
    from apps.agenda.models import AgendaPeriod
    from apps.agenda.permissions import can_coordinate
    from apps.monitoring.indicators import period_payload
    from apps.monitoring.models import FrozenPeriod

    if not can_coordinate(user):
        raise PermissionDenied(_("Solo la coordinación DNP cierra las cifras de un periodo."))
    # The period's row lock serialises two coordinators freezing at once: the second finds the first's.
    locked = AgendaPeriod.objects.select_for_update().get(pk=period.pk)
    existing = FrozenPeriod.objects.filter(period=locked).first()
    if existing is not None:
        return existing
    if locked.status not in (AgendaPeriod.Status.PUBLISHED, AgendaPeriod.Status.CLOSED):
        raise ValidationError({"period": _("Solo se congelan las cifras de un periodo cerrado o publicado; "
                                           "%(name)s sigue abierto.") % {"name": locked.name}})
    return FrozenPeriod.objects.create(period=locked, figures=period_payload(period=locked), closed_by=user)
