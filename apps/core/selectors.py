"""Reads of the platform outbox, scoped to the acting person."""

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.core.models import Notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The person's own notices, newest first (never anyone else's)."""
    return Notification.objects.filter(recipient=user)


def notification_unread_count(*, user: User) -> int:
    """One COUNT on the partial "unread" index; 0 for anonymous visitors without a query."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()
