"""Notifications are rows first; a task claims each row and e-mails it once, even when the broker
was down when the row was written."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.demand import services, tasks
from apps.demand.models import Notification
from tests.demand.factories import NeedFactory
from tests.factories import UserFactory, org

pytestmark = pytest.mark.django_db


def test_a_status_change_notifies_the_municipality_by_row_and_email(alice, carla, django_capture_on_commit_callbacks):
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.need) == (alice, Notification.Kind.STATUS, need)
    assert notice.sent_at is not None
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "en revisión" in mail.outbox[0].subject
    assert f"/solicitudes/{need.pk}/" in mail.outbox[0].body


def test_a_territorial_message_notifies_coordinators_not_the_writer(alice, carla, adam,
                                                                     django_capture_on_commit_callbacks):
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_message_add(user=alice, need=need, body="¿Hay novedades?")
    assert sorted(m.to[0] for m in mail.outbox) == [carla.email]


def test_the_beneficiary_municipality_hears_of_a_need_filed_on_its_behalf(alice, dora, carla,
                                                                          django_capture_on_commit_callbacks):
    need = NeedFactory(organization=org("25"), municipality_id="25290")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, dora.email])


def test_nothing_is_lost_when_the_broker_is_down(alice, carla, django_capture_on_commit_callbacks):
    need = NeedFactory()
    with mock.patch.object(tasks.notification_send, "delay", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            services.need_transition(user=carla, need=need, action="review")
    notice = Notification.objects.get()
    assert notice.sent_at is None and mail.outbox == []
    # Too fresh for the sweep: its queued task may still be on its way.
    assert services.notifications_sweep() == 0
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.notifications_sweep() == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert tasks.notifications_sweep() == 0  # sent once only


def test_a_broker_that_is_down_is_tried_once_per_change_not_once_per_person(
    alice, carla, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    UserFactory(email="otra@fusagasuga.gov.co", organization=org("25290"))
    need = NeedFactory()
    with mock.patch.object(tasks.notification_send, "delay", side_effect=ConnectionError("down")) as delay:
        with django_capture_on_commit_callbacks(execute=True):
            services.need_transition(user=carla, need=need, action="review")
    assert delay.call_count == 1
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2


def test_a_claimed_row_is_never_sent_twice(alice):
    notice = Notification.objects.create(recipient=alice, need=NeedFactory(), kind="status", text="Aviso")
    assert tasks.notification_send(notice.pk) is True
    assert tasks.notification_send(notice.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim_for_a_retry(alice):
    notice = Notification.objects.create(recipient=alice, need=NeedFactory(), kind="status", text="Aviso")
    with mock.patch("apps.demand.services.send_mail", side_effect=OSError("smtp down")):
        with pytest.raises(OSError):
            services.notification_deliver(notification_id=notice.pk)
    notice.refresh_from_db()
    assert notice.sent_at is None
    assert services.notification_deliver(notification_id=notice.pk) is True


def test_inactive_people_and_other_organisations_are_not_notified(
    alice, amy, carla, django_capture_on_commit_callbacks
):
    UserFactory(email="gone@fusagasuga.gov.co", organization=org("25290"), is_active=False)
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    assert [m.to[0] for m in mail.outbox] == [alice.email]


def test_the_sweep_is_scheduled_for_celery_beat():
    task = PeriodicTask.objects.get(task="demand.notifications_sweep")
    assert task.enabled and task.interval.every == 5


def test_the_notifications_page_lists_mine_and_marks_them_read(client_as, alice, amy):
    need = NeedFactory()
    Notification.objects.create(recipient=alice, need=need, kind="status", text="Su solicitud está en revisión")
    Notification.objects.create(recipient=amy, need=need, kind="status", text="De otra persona")
    client = client_as(alice)
    html = client.get("/solicitudes/avisos/").content.decode()
    assert "Su solicitud está en revisión" in html and "De otra persona" not in html
    assert client.post("/solicitudes/avisos/leidos/").status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=amy, read_at__isnull=True).exists()


def test_the_demo_data_loads_twice_without_duplicates_or_emails(django_capture_on_commit_callbacks):
    from apps.accounts import demo as accounts_demo
    from apps.demand import demo
    from apps.demand.models import Need, Status

    accounts_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load()
    count = Need.objects.count()
    assert count == 6
    assert set(Need.objects.values_list("status", flat=True)) == {
        Status.FILED, Status.IN_REVIEW, Status.SCHEDULED, Status.REJECTED}
    assert mail.outbox == []
    assert demo.load() == [] and Need.objects.count() == count
