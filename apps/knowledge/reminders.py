"""Reminders of commitments: outbox rows written by a beat task (`knowledge.commitment_reminders`, hourly).

`commitment_reminders_write()`:
1. moves every open commitment whose due date has passed to *vencido*, with an automatic note
   (`services.commitments_overdue_mark`);
2. writes, for each commitment with a responsible organisation, the reminder now due: "7d" when
   it falls due within 7 days, "0d" on the day, "overdue" once it is *vencido* (only within
   `OVERDUE_REMIND_DAYS` of the date: a commitment years late, like some of 2021, is on the
   list pages, not in anyone's inbox). Recipients: the organisation's active people and, when it
   has one, its contact e-mail.

Each key names the commitment, the reminder, the due date and the recipient, so running it again
writes nothing new and a new due date reminds again. The outbox e-mails each row once.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.knowledge.models import Commitment, CommitmentStatus
from apps.knowledge.permissions_commitments import OPEN_STATUSES

SOON_DAYS = 7
OVERDUE_REMIND_DAYS = 30


def _recipients(org: Organization) -> dict[str, User | None]:
    """address → person of the platform, or None for the organisation's own contact address."""
    out: dict[str, User | None] = {}
    for person in org.members.all():
        if person.email:
            out.setdefault(person.email.lower(), person)
    if org.email:
        out.setdefault(org.email.strip().lower(), None)
    return out


def _label(commitment: Commitment, today: date) -> str | None:
    if commitment.due_on is None:
        return None
    left = (commitment.due_on - today).days
    if commitment.status == CommitmentStatus.OVERDUE:
        return "overdue" if -OVERDUE_REMIND_DAYS <= left < 0 else None
    if commitment.status not in OPEN_STATUSES:
        return None
    if left == 0:
        return "0d"
    if 0 < left <= SOON_DAYS:
        return "7d"
    return None


def _text(commitment: Commitment, label: str) -> tuple[str, str]:
    day = date_format(commitment.due_on, "l j \\d\\e F \\d\\e Y").lower()
    short = " ".join(commitment.text.split())[:120]
    if label == "overdue":
        subject = _("Compromiso vencido: «%(text)s» (venció el %(day)s)") % {"text": short, "day": day}
    elif label == "0d":
        subject = _("Compromiso que vence hoy: «%(text)s»") % {"text": short}
    else:
        subject = _("Compromiso que vence el %(day)s: «%(text)s»") % {"text": short, "day": day}
    where = commitment.municipality or commitment.department
    lines = [subject, "", _("Compromiso: %(text)s") % {"text": commitment.text[:1000]},
             _("Responsable: %(org)s") % {"org": commitment.responsible.name if commitment.responsible else ""},
             _("Fecha límite: %(day)s") % {"day": day},
             _("Estado: %(status)s") % {"status": commitment.get_status_display()}]
    if where is not None:
        lines.append(_("Territorio: %(t)s") % {"t": where.display_name})
    if commitment.workshop_id:
        lines.append(_("Taller: %(w)s") % {"w": commitment.workshop.title})
    lines += ["", _("Registre el avance o el cumplimiento en la página del compromiso.")]
    return subject, "\n".join(lines)


def _due_commitments(today: date):
    soon = today + timedelta(days=SOON_DAYS)
    window = Q(status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=soon) | Q(
        status=CommitmentStatus.OVERDUE, due_on__lt=today, due_on__gte=today - timedelta(days=OVERDUE_REMIND_DAYS))
    return (Commitment.objects.filter(window, responsible__isnull=False)
            .select_related("responsible", "municipality", "department", "workshop")
            .prefetch_related(Prefetch("responsible__members", queryset=User.objects.filter(is_active=True)))
            .order_by("due_on", "id"))


@transaction.atomic
def commitment_reminders_write(*, now: datetime | None = None) -> int:
    """Mark the overdue ones and write the reminder rows now due; returns how many rows this call created."""
    from apps.core.models import Notification
    from apps.core.outbox import notify
    from apps.knowledge.services import commitments_overdue_mark

    today = timezone.localdate(now) if now else timezone.localdate()
    commitments_overdue_mark(today=today)
    due = []  # (commitment, label, key, address, person)
    for commitment in _due_commitments(today):
        label = _label(commitment, today)
        if label is None:
            continue
        stamp = commitment.due_on.strftime("%Y%m%d")
        for address, person in _recipients(commitment.responsible).items():
            key = f"knowledge:commitment:{commitment.pk}:reminder:{label}:{stamp}:{address}"[:200]
            due.append((commitment, label, key, address, person))
    # One query for the keys already written: a run with nothing new costs a few queries in all.
    keys = [row[2] for row in due]
    sent: set[str] = set()
    for start in range(0, len(keys), 500):  # SQLite bounds the parameters of one query
        sent.update(Notification.objects.filter(key__in=keys[start:start + 500]).values_list("key", flat=True))
    written = 0
    for commitment, label, key, address, person in due:
        if key in sent:
            continue
        subject, text = _text(commitment, label)
        kwargs = {"recipient": person} if person is not None else {"email": address}
        notify(key=key, kind="commitment_reminder", subject=subject, text=text,
               link=commitment.get_absolute_url(), **kwargs)
        written += 1
    return written
