from celery import shared_task
from django.conf import settings

from apps.core import outbox


@shared_task(name="core.echo")
def echo(key: str, token: str) -> str:
    """Push `token` onto a Redis list: the smallest proof that a real worker ran a task."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).rpush(key, token)
    return token


@shared_task(name="core.outbox_deliver")
def outbox_deliver(notification_id: int) -> bool:
    """E-mail one outbox row; a no-op when it is sent, failed or claimed by someone else."""
    return outbox.deliver(notification_id)


@shared_task(name="core.outbox_sweep")
def outbox_sweep() -> int:
    """Deliver the rows left behind (broker down, worker killed, transient SMTP errors)."""
    return outbox.sweep()
