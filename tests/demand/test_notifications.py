"""Demand notifies through the platform outbox: one row per person and event, e-mailed once,
even when the broker was down when the row was written."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.core import outbox, tasks
from apps.core.models import Notification
from apps.demand import services
from apps.demand.models import Need
from tests.demand.factories import NeedFactory
from tests.factories import UserFactory, org

pytestmark = pytest.mark.django_db


def test_a_status_change_notifies_the_municipality_by_row_and_email(alice, carla, django_capture_on_commit_callbacks):
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    notice = Notification.objects.get()
    event = need.events.get()
    assert (notice.recipient, notice.kind, notice.link) == (alice, "demand.status", f"/solicitudes/{need.pk}/")
    assert notice.key == f"demand:need:{need.pk}:status:{event.pk}:{alice.pk}"
    assert notice.sent_at is not None
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "en revisión" in mail.outbox[0].subject
    assert f"/solicitudes/{need.pk}/" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id(notice.key)


def test_a_reason_reaches_the_territory(alice, carla, django_capture_on_commit_callbacks):
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="reject", reason="Falta el plan de desarrollo.")
    assert "Motivo: Falta el plan de desarrollo." in mail.outbox[0].body


def test_a_territorial_message_notifies_coordinators_not_the_writer(alice, carla, adam,
                                                                     django_capture_on_commit_callbacks):
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_message_add(user=alice, need=need, body="¿Hay novedades?")
    assert sorted(m.to[0] for m in mail.outbox) == [carla.email]
    assert "¿Hay novedades?" in mail.outbox[0].body


def test_the_beneficiary_municipality_hears_of_a_need_filed_on_its_behalf(alice, dora, carla,
                                                                          django_capture_on_commit_callbacks):
    need = NeedFactory(organization=org("25"), municipality_id="25290")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, dora.email])


def test_a_newline_in_a_topic_does_not_break_the_emails(alice, carla, django_capture_on_commit_callbacks):
    need = NeedFactory()
    Need.objects.filter(pk=need.pk).update(topic="Agua\npotable\r\nrural")  # written before the validator
    need.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "\n" not in mail.outbox[0].subject and "Agua potable rural" in mail.outbox[0].subject
    assert not Notification.objects.filter(failed_at__isnull=False).exists()


def test_emails_link_to_the_sites_real_address(alice, carla, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://agenda-att.dnp.gov.co/"
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    assert f"https://agenda-att.dnp.gov.co/solicitudes/{need.pk}/" in mail.outbox[0].body


def test_nothing_is_lost_when_the_broker_is_down(alice, carla, django_capture_on_commit_callbacks):
    need = NeedFactory()
    with mock.patch.object(tasks.outbox_deliver, "delay", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            services.need_transition(user=carla, need=need, action="review")
    notice = Notification.objects.get()
    assert notice.sent_at is None and mail.outbox == []
    # Too fresh for the sweep: its queued task may still be on its way.
    assert tasks.outbox_sweep() == 0
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.outbox_sweep() == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert tasks.outbox_sweep() == 0  # sent once only


def test_a_broker_that_is_down_is_tried_once_per_change_not_once_per_person(
    alice, carla, django_capture_on_commit_callbacks
):
    UserFactory(email="otra@fusagasuga.gov.co", organization=org("25290"))
    need = NeedFactory()
    with mock.patch.object(tasks.outbox_deliver, "delay", side_effect=ConnectionError("down")) as delay:
        with django_capture_on_commit_callbacks(execute=True):
            services.need_transition(user=carla, need=need, action="review")
    assert delay.call_count == 1
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2


def test_inactive_people_and_other_organisations_are_not_notified(
    alice, amy, carla, django_capture_on_commit_callbacks
):
    UserFactory(email="gone@fusagasuga.gov.co", organization=org("25290"), is_active=False)
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    assert [m.to[0] for m in mail.outbox] == [alice.email]


def test_the_old_demand_schedule_is_gone_and_the_sweep_is_the_cores():
    assert not PeriodicTask.objects.filter(task="demand.notifications_sweep").exists()


def test_the_notifications_page_lists_mine_and_marks_them_read(client_as, alice, amy, carla,
                                                               django_capture_on_commit_callbacks):
    need = NeedFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_transition(user=carla, need=need, action="review")
    outbox.notify(key="t:amy", kind="test", subject="De otra persona", text="…", recipient=amy)
    client = client_as(alice)
    html = client.get("/avisos/").content.decode()
    assert "ahora está en revisión" in html and "De otra persona" not in html
    assert client.post("/avisos/leidos/").status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=amy, read_at__isnull=True).exists()


def test_the_old_notifications_address_leads_to_the_new_page(client_as, alice):
    response = client_as(alice).get("/solicitudes/avisos/")
    assert response.status_code == 301 and response["Location"] == "/avisos/"


def test_the_demo_data_loads_twice_without_duplicates_or_emails(django_capture_on_commit_callbacks):
    from apps.accounts import demo as accounts_demo
    from apps.demand import demo
    from apps.demand.models import Status

    accounts_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load()
    count = Need.objects.count()
    assert count == 6
    # Needs become programada only through an agenda event: the agenda's demo schedules them.
    assert set(Need.objects.values_list("status", flat=True)) == {Status.FILED, Status.IN_REVIEW, Status.REJECTED}
    assert mail.outbox == []
    assert Notification.objects.exists() and not Notification.objects.filter(sent_at=None).exists()
    assert demo.load() == [] and Need.objects.count() == count
