"""Celery tasks of the agenda: thin, idempotent, scheduled by beat (config/settings.py)."""

from celery import shared_task

from apps.agenda import reminders


@shared_task(name="agenda.reminders_due")
def reminders_due() -> int:
    """Write the 7-day and 1-day reminder rows now due; the outbox e-mails them once."""
    return reminders.reminders_write()


@shared_task(name="agenda.weekly_digest")
def weekly_digest() -> int:
    """Write this week's digest for each coordinator (one row per person and week)."""
    return reminders.weekly_digest_write()
