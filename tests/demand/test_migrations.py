"""Migration 0005 copies demand's old notices into the platform outbox (core.Notification)."""

from datetime import datetime
from importlib import import_module
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from apps.core.models import Notification

pytestmark = pytest.mark.django_db

MIGRATION = import_module("apps.demand.migrations.0005_notifications_to_core_outbox")
BOGOTA = ZoneInfo("America/Bogota")


class OldNotices:
    """demand.Notification as the migration reads it: rows of the table 0005 drops."""

    def __init__(self, rows):
        self.objects = SimpleNamespace(iterator=lambda chunk_size: iter(rows))


def _apps(old):
    models = {("demand", "Notification"): old, ("core", "Notification"): Notification}
    return SimpleNamespace(get_model=lambda app, name: models[(app, name)])


def test_it_copies_each_old_notice_once_keeping_its_dates_and_state(alice):
    created, sent = datetime(2026, 3, 2, 9, 30, tzinfo=BOGOTA), datetime(2026, 3, 2, 9, 31, tzinfo=BOGOTA)
    rows = [
        SimpleNamespace(pk=7, recipient_id=alice.pk, kind="status", need_id=41, created_at=created, sent_at=sent,
                        read_at=None, text="Su solicitud\n  pasó a   programada. " + "x" * 300),
        SimpleNamespace(pk=8, recipient_id=alice.pk, kind="message", need_id=41, created_at=created, sent_at=None,
                        read_at=sent, text="Nuevo mensaje"),
    ]
    apps = _apps(OldNotices(rows))
    MIGRATION.copy_to_core(apps, None)
    MIGRATION.copy_to_core(apps, None)  # run again (a retried deploy): the keys keep one row each

    copied = {n.key: n for n in Notification.objects.filter(key__startswith="demand:legacy:")}
    assert sorted(copied) == ["demand:legacy:7", "demand:legacy:8"]
    status = copied["demand:legacy:7"]
    assert (status.recipient_id, status.kind, status.link) == (alice.pk, "demand.status", "/solicitudes/41/")
    assert status.subject.startswith("Su solicitud pasó a programada. xxx") and len(status.subject) == 200
    assert status.text == rows[0].text
    assert (status.created_at, status.sent_at, status.read_at) == (created, sent, None)
    message = copied["demand:legacy:8"]
    assert (message.kind, message.sent_at, message.read_at) == ("demand.message", None, sent)
