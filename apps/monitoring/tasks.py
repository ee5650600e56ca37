"""Celery tasks of monitoring: thin, idempotent, scheduled by beat (config/settings.py)."""

from celery import shared_task

from apps.monitoring import services


@shared_task(name="monitoring.followups_due")
def followups_due() -> dict[str, int]:
    """E-mail the follow-up invitations now due and the reminders now due (outbox rows, written once)."""
    return services.followups_send_due()
