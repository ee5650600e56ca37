"""Celery tasks of knowledge management: thin, idempotent, scheduled by beat (config/settings.py)."""

from celery import shared_task

from apps.knowledge import reminders


@shared_task(name="knowledge.commitment_reminders")
def commitment_reminders() -> int:
    """Mark overdue commitments *vencido* and write the reminders now due; the outbox e-mails them once."""
    return reminders.commitment_reminders_write()
