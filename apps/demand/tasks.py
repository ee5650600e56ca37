"""Celery tasks of demand: thin, take ids, call services, safe to run twice.

`notifications_sweep` is registered for celery beat by migration 0002 (a django_celery_beat
PeriodicTask every 5 minutes), so rows left unsent while the broker was down go out later.
"""

from celery import shared_task

from apps.demand import services


@shared_task(name="demand.notification_send", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notification_send(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(name="demand.notifications_sweep")
def notifications_sweep() -> int:
    return services.notifications_sweep()
