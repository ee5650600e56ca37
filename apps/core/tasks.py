from celery import shared_task
from django.conf import settings


@shared_task(name="core.echo")
def echo(key: str, token: str) -> str:
    """Push `token` onto a Redis list: the smallest proof that a real worker ran a task."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).rpush(key, token)
    return token
