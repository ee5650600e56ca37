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
            .order_by("-created_at", "-id"))


def period_find(value: str) -> AgendaPeriod | None:
    """An agenda period by its name or id (periods are public: the published agenda names them)."""
    value = (value or "").strip()[:40]
    if value.isdigit() and len(value) < 19:
        found = AgendaPeriod.objects.filter(pk=int(value)).first()
        if found is not None:
            return found
    return AgendaPeriod.objects.filter(name=value).first()


def period_get(*, user: User, pk) -> AgendaPeriod | None:
    try:
        return AgendaPeriod.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def period_is_frozen(*, period: AgendaPeriod) -> bool:
    return FrozenPeriod.objects.filter(period=period).exists()
