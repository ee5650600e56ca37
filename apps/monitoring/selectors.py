"""Reads of monitoring: follow-ups (coordinators only: they hold personal data) and periods.

The indicators themselves are apps/monitoring/indicators.py (aggregates anyone may read).
"""

from django.db.models import Prefetch, QuerySet

from apps.accounts.models import User
from apps.agenda.models import AgendaPeriod
from apps.monitoring.models import FrozenPeriod, Invitation
from apps.surveys.models import Answer, Submission


def followup_list(*, user: User) -> QuerySet[Invitation]:
    """Follow-up invitations with their answers in three queries (page, count, answers); none for
    anyone but a coordinator."""
    if not (user.is_authenticated and user.is_coordinator):
        return Invitation.objects.none()
    answers = Answer.objects.select_related("question", "option").order_by("question__position", "position", "id")
    return (Invitation.objects.select_related("event", "organization")
            .prefetch_related(Prefetch("submission", queryset=Submission.objects.prefetch_related(
                Prefetch("answers", queryset=answers))))
            .order_by("-id"))  # newest first; the primary key index, not a sort of every row


def period_find(value: str, *, user: User | None = None) -> AgendaPeriod | None:
    """An agenda period by its name or id. Coordinators find any; anyone else only the published
    ones (as the public pages and the open data offer: drafts and closed plans stay internal)."""
    value = (value or "").strip()[:40]
    periods = AgendaPeriod.objects.all()
    if not (user is not None and user.is_authenticated and user.is_coordinator):
        periods = periods.filter(status=AgendaPeriod.Status.PUBLISHED)
    if value.isascii() and value.isdigit() and len(value) < 19:
        found = periods.filter(pk=int(value)).first()
        if found is not None:
            return found
    return periods.filter(name=value).first()


def period_get(*, user: User, pk) -> AgendaPeriod | None:
    try:
        return AgendaPeriod.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def period_is_frozen(*, period: AgendaPeriod) -> bool:
    return FrozenPeriod.objects.filter(period=period).exists()
