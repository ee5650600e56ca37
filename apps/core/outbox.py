"""The platform outbox: `notify()` writes a notice row; `deliver()` and `sweep()` e-mail it.

Lossless and seen once (see docs/style.md, "Side effects are rows first"):

1. `notify()` writes one `Notification` row per idempotency key, in the caller's transaction,
   and queues its delivery with `transaction.on_commit` (a broker that is down only delays the
   rows until the sweep; after one failure the process stops trying for BROKER_BACKOFF_SECONDS).
2. `deliver()` *claims* the row with a conditional update that sets a lease, sends the e-mail,
   and only then sets `sent_at`. A worker killed between sending and marking leaves the row
   claimed until the lease runs out; the sweep then sends it again with the same Message-ID
   (derived from the key), so the inbox shows one message.
3. A permanent failure (bad header, invalid or refused address) marks the row failed with its
   error; a transient one records the error and backs off; after `OUTBOX_MAX_ATTEMPTS` the row is
   marked failed. Either way the other rows go on.
4. `sweep()` (celery beat, `CELERY_BEAT_SCHEDULE` in config/settings.py) delivers, oldest first
   and in bounded batches, the rows whose lease ran out or that were never claimed.
"""

import hashlib
import logging
import smtplib
import time
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.models import Notification

if TYPE_CHECKING:
    from apps.accounts.models import User

logger = logging.getLogger(__name__)

# Failures that the same row would meet again on every try: mark failed at once.
PERMANENT_ERRORS = (BadHeaderError, ValueError, smtplib.SMTPRecipientsRefused)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def one_line(value: str, limit: int = 200) -> str:
    """A header-safe single line: newlines in a need's topic must never reach a Subject header."""
    return " ".join(str(value).split())[:limit]


def notify(*, key: str, kind: str, subject: str, text: str, link: str = "",
           recipient: "User | None" = None, email: str = "") -> Notification:
    """Write one outbox row (exactly one of recipient / email; attendees without an account get `email`).

    `key` is unique: writing the same key twice is a no-op that returns the existing row.
    `link` is a site path like "/solicitudes/12/"; e-mails prefix it with settings.SITE_URL.
    Sending is queued with transaction.on_commit; if the broker is down the beat sweep sends it later.
    """
    email = (email or "").strip()
    if (recipient is None) == (not email):
        raise ValueError("notify() takes exactly one of recipient or email")
    if not key:
        raise ValueError("notify() needs an idempotency key")
    notice, created = Notification.objects.get_or_create(key=key, defaults={
        "recipient": recipient, "email": email, "kind": kind, "subject": one_line(subject),
        "text": text, "link": link,
    })
    if created:
        _queue_on_commit(notice.pk)
    return notice


# A broker that is down costs its connection timeout on every call: after one failure this process
# leaves the rows to the sweep for a while instead of trying again for each recipient.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


def _queue_on_commit(pk: int) -> None:
    transaction.on_commit(partial(queue, [pk]))


def queue(ids: list[int]) -> None:
    """Hand rows to Celery; after a broker failure, leave them (and the next ones) to the sweep."""
    global _broker_down_until
    from apps.core.tasks import outbox_deliver

    if time.monotonic() < _broker_down_until:
        return
    for pk in ids:
        try:
            outbox_deliver.delay(pk)
        except Exception:  # noqa: BLE001 - the rows stay pending and the sweep sends them
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.warning("outbox: notices %s not queued; the sweep will send them", ids, exc_info=True)
            return


def broker_backoff_reset() -> None:
    """Forget an earlier broker failure (tests, and a worker that knows the broker is back)."""
    global _broker_down_until
    _broker_down_until = 0.0


def message_id(key: str) -> str:
    """The Message-ID of the notice with this key: the same on every resend."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{urlsplit(settings.SITE_URL).hostname or 'agenda-att'}>"


def absolute_url(link: str) -> str:
    if not link or urlsplit(link).scheme:
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def email_message(notice: Notification) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        name = notice.recipient.get_short_name() if notice.recipient else ""
        body = render_to_string("core/email/notification.txt", {
            "notice": notice, "name": name, "url": absolute_url(notice.link)})
        subject = _("[Agenda ATT] %(subject)s") % {"subject": one_line(notice.subject, 180)}
    return EmailMessage(subject=subject, body=body, to=[notice.address],
                        headers={"Message-ID": message_id(notice.key), "Auto-Submitted": "auto-generated"})


def _claim(notification_id: int) -> bool:
    now = timezone.now()
    lease = timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS", 300))
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return bool(Notification.objects.filter(free, pk=notification_id, sent_at=None, failed_at=None)
                .update(lease_until=now + lease, claimed_at=now, attempts=F("attempts") + 1))


def _mark_sent(notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, sent_at=None).update(sent_at=timezone.now(), last_error="")


def _mark_failed(notice: Notification, error: str) -> None:
    Notification.objects.filter(pk=notice.pk, sent_at=None).update(failed_at=timezone.now(), last_error=error)


def _back_off(notice: Notification, error: str) -> None:
    """A transient failure: keep the lease for a growing pause, then the sweep tries again."""
    if notice.attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 8):
        _mark_failed(notice, error)
        return
    pause = timedelta(seconds=min(30 * 2 ** (notice.attempts - 1), 6 * 3600))
    Notification.objects.filter(pk=notice.pk, sent_at=None).update(lease_until=timezone.now() + pause,
                                                                   last_error=error)


def deliver(notification_id: int) -> bool:
    """E-mail one notice if this caller wins its claim; True when it was sent by this call.

    Safe to call any number of times, from any number of workers: only the holder of an
    unexpired lease sends, and a resend after a crash carries the same Message-ID.
    """
    if not _claim(notification_id):
        return False
    notice = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        if not notice.address:
            raise ValueError("the recipient has no e-mail address")
        email_message(notice).send()
    except PERMANENT_ERRORS as exc:
        logger.warning("outbox: notice %s failed for good: %r", notice.pk, exc)
        _mark_failed(notice, f"{type(exc).__name__}: {exc}")
        return False
    except Exception as exc:  # noqa: BLE001 - SMTP down, timeouts: the sweep tries again
        logger.warning("outbox: notice %s not sent (attempt %s): %r", notice.pk, notice.attempts, exc)
        _back_off(notice, f"{type(exc).__name__}: {exc}")
        return False
    _mark_sent(notification_id)
    return True


def sweep(*, batch: int | None = None) -> int:
    """Deliver the oldest due rows (lease run out, or never claimed after a grace); returns how many were sent.

    Fresh unclaimed rows get `OUTBOX_SWEEP_GRACE_SECONDS`, as their queued task may be on its way.
    One row's failure never stops the others.
    """
    now = timezone.now()
    grace = timedelta(seconds=_setting("OUTBOX_SWEEP_GRACE_SECONDS", 120))
    due = Q(lease_until__lt=now) | Q(lease_until__isnull=True, created_at__lte=now - grace)
    limit = batch or _setting("OUTBOX_SWEEP_BATCH", 200)
    ids = list(Notification.objects.filter(due, sent_at=None, failed_at=None)
               .order_by("created_at", "id").values_list("pk", flat=True)[:limit])
    sent = 0
    for pk in ids:
        try:
            sent += deliver(pk)
        except Exception:  # noqa: BLE001 - e.g. the row was deleted meanwhile
            logger.exception("outbox: notice %s could not be delivered", pk)
    return sent


@transaction.atomic
def notifications_retry(*, ids: list[int]) -> int:
    """Put unsent rows (failed or waiting) back in line now, with a fresh count of attempts."""
    pending = list(Notification.objects.filter(pk__in=ids, sent_at=None).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=pending).update(failed_at=None, lease_until=None, attempts=0)
    for pk in pending:
        _queue_on_commit(pk)
    return len(pending)


def notifications_mark_read(*, user: "User", ids: list[int] | None = None) -> int:
    """Mark the person's unread notices read (all of them, or those of `ids` that are theirs)."""
    mine = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        mine = mine.filter(pk__in=ids)
    return mine.update(read_at=timezone.now())
