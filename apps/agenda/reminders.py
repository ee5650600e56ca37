"""Reminders and the coordinators' weekly digest: outbox rows written by beat tasks (never `eta`).

`reminders_write()` runs every 15 minutes (`agenda.reminders_due`): for each confirmed event
starting within 7 days it writes the 7-day reminder, within 1 day the 1-day one, to every
expected attendee and every person of the providing organisations and the responsible people.
Each row's idempotency key names the event, its start, the reminder and the address, so running
it again (a retried task, two beats) writes nothing new, and a rescheduled event gets its
reminders again for the new date. The outbox then e-mails each row once (apps/core/outbox.py).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.agenda import selectors
from apps.agenda.models import Attendee, Event, Status
from apps.agenda.services import day_label

REMINDERS = (("7d", timedelta(days=7)), ("1d", timedelta(days=1)))


def _recipients(event: Event) -> dict[str, User | None]:
    """address → User (when the address is a person of the platform) or None (an attendee)."""
    out: dict[str, User | None] = {}
    for org in event.providers.all():
        for person in org.members.all():
            out.setdefault(person.email.lower(), person)
    for person in event.responsible.all():
        out.setdefault(person.email.lower(), person)
    for attendee in event.attendees.all():
        out.setdefault(attendee.email.lower(), None)
    return out


def _text(event: Event, when: str) -> tuple[str, str]:
    start = timezone.localtime(event.starts_at)
    day = f"{day_label(start.date())}, {start:%H:%M}"
    subject = _("Recordatorio: «%(title)s» es %(when)s (%(day)s)") % {"title": event.title, "when": when,
                                                                     "day": day}
    where = event.video_url or event.place or _("lugar por confirmar")
    territories = ", ".join([m.display_name for m in event.municipalities.all()]
                            + [d.display_name for d in event.departments.all()])
    providers = ", ".join(o.name for o in event.providers.all())
    text = "\n".join([
        subject,
        _("Dónde: %(where)s") % {"where": where},
        _("Territorio: %(t)s") % {"t": territories},
        _("Con: %(p)s") % {"p": providers},
    ])
    return subject, text


def _due_events(now: datetime, horizon: timedelta):
    return (Event.objects.filter(status=Status.CONFIRMED, merged_into__isnull=True, starts_at__gt=now,
                                 starts_at__lte=now + horizon)
            .prefetch_related(
                Prefetch("providers", queryset=Organization.objects.prefetch_related(
                    Prefetch("members", queryset=User.objects.filter(is_active=True)))),
                Prefetch("attendees", queryset=Attendee.objects.order_by("id")),
                "responsible", "municipalities", "departments")
            .order_by("starts_at", "id"))


@transaction.atomic
def reminders_write(*, now: datetime | None = None) -> int:
    """Write the reminder rows now due; returns how many rows this call created."""
    from apps.core.models import Notification
    from apps.core.outbox import notify

    now = now or timezone.now()
    written = 0
    for event in _due_events(now, REMINDERS[0][1]):
        left = event.starts_at - now
        stamp = timezone.localtime(event.starts_at).strftime("%Y%m%d%H%M")
        for label, horizon in REMINDERS:
            if left > horizon or (label == "7d" and left <= REMINDERS[1][1]):
                continue  # the 7-day reminder is for events more than a day away
            when = _("en una semana") if label == "7d" else _("mañana")
            subject, text = _text(event, when)
            for address, person in _recipients(event).items():
                key = f"agenda:event:{event.pk}:reminder:{label}:{address}:{stamp}"
                if Notification.objects.filter(key=key).exists():
                    continue
                kwargs = {"recipient": person} if person is not None else {"email": address}
                notify(key=key, kind="agenda_reminder", subject=subject, text=text,
                       link=event.get_absolute_url(), **kwargs)
                written += 1
    return written


@transaction.atomic
def weekly_digest_write(*, now: datetime | None = None) -> int:
    """One digest per coordinator per ISO week: conflicts, waiting needs, events without attendees."""
    from apps.core.outbox import notify

    now = now or timezone.now()
    year, week, _day = timezone.localdate(now).isocalendar()
    coordinators = list(User.objects.filter(is_active=True, role=User.Role.COORDINATOR))
    if not coordinators:
        return 0
    viewer = coordinators[0]
    today = timezone.localdate(now)
    conflicts = selectors.conflict_groups(user=viewer, date_from=today)
    waiting = list(selectors.waiting_needs(user=viewer)[:11])
    empty = list(selectors.events_without_attendees(user=viewer, date_from=today)[:11])
    lines = [_("Resumen de la agenda, semana %(week)s de %(year)s.") % {"week": week, "year": year}, ""]
    lines.append(_("Cruces por revisar: %(n)s") % {"n": len(conflicts)})
    lines += [f"- {g.territory.display_name}: " + "; ".join(e.title for e in g.events) for g in conflicts[:10]]
    lines += ["", _("Solicitudes que esperan jornada hace mucho: %(n)s") % {"n": len(waiting)
                                                                              if len(waiting) <= 10 else "más de 10"}]
    lines += [f"- #{n.pk} {n.topic} ({n.territory_name})" for n in waiting[:10]]
    lines += ["", _("Jornadas sin asistentes registrados: %(n)s") % {"n": len(empty) if len(empty) <= 10
                                                                      else "más de 10"}]
    lines += [f"- {e.title} ({day_label(timezone.localdate(e.starts_at))})" for e in empty[:10]]
    subject = _("Agenda: %(c)s cruces, %(w)s solicitudes en espera") % {"c": len(conflicts), "w": len(waiting)}
    for person in coordinators:
        notify(key=f"agenda:digest:{year}-W{week:02d}:{person.pk}", kind="agenda_digest", subject=subject,
               text="\n".join(lines), link="/agenda/cruces/", recipient=person)
    return len(coordinators)
