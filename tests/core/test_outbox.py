"""The platform outbox: rows first, claimed with a lease, e-mailed at least once and seen once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.core import outbox, tasks
from apps.core.models import Notification
from tests.core.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _expire_leases() -> None:
    """Stand in for the passing of OUTBOX_LEASE_SECONDS (and of the sweep's grace)."""
    past = timezone.now() - timedelta(seconds=1)
    Notification.objects.filter(lease_until__isnull=False).update(lease_until=past)
    Notification.objects.update(created_at=timezone.now() - timedelta(hours=1))


def test_it_writes_one_row_and_emails_it_after_commit(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = outbox.notify(key="t:1", kind="test", subject="Hola", text="Un aviso", recipient=alice)
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert mail.outbox[0].subject == "[Agenda ATT] Hola"
    assert "Un aviso" in mail.outbox[0].body


def test_the_same_key_twice_is_one_row_and_one_email(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.notify(key="t:same", kind="test", subject="Uno", text="Uno", recipient=alice)
        second = outbox.notify(key="t:same", kind="test", subject="Dos", text="Dos", recipient=alice)
    assert first.pk == second.pk and second.subject == "Uno"
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_takes_exactly_one_of_recipient_or_email(alice):
    with pytest.raises(ValueError):
        outbox.notify(key="t:both", kind="test", subject="S", text="T", recipient=alice, email="x@example.co")
    with pytest.raises(ValueError):
        outbox.notify(key="t:none", kind="test", subject="S", text="T")
    assert not Notification.objects.exists()


def test_an_attendee_without_an_account_is_emailed_at_their_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.notify(key="t:guest", kind="test", subject="Invitación", text="Le esperamos",
                      email="invitada@example.co")
    assert [m.to for m in mail.outbox] == [["invitada@example.co"]]
    assert mail.outbox[0].body.startswith("Hola:")


def test_links_use_the_sites_real_address(alice, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://agenda-att.dnp.gov.co"
    with django_capture_on_commit_callbacks(execute=True):
        outbox.notify(key="t:link", kind="test", subject="S", text="T", link="/solicitudes/12/", recipient=alice)
    assert "https://agenda-att.dnp.gov.co/solicitudes/12/" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"].endswith("@agenda-att.dnp.gov.co>")


def test_two_deliverers_of_one_row_send_one_email(alice):
    notice = NotificationFactory(recipient=alice)
    assert tasks.outbox_deliver(notice.pk) is True
    assert tasks.outbox_deliver(notice.pk) is False
    assert len(mail.outbox) == 1


def test_a_row_under_someone_elses_lease_is_left_alone(alice):
    notice = NotificationFactory(recipient=alice)
    assert outbox._claim(notice.pk)  # another worker holds it now, and is sending
    assert outbox.deliver(notice.pk) is False
    assert outbox.sweep() == 0
    assert mail.outbox == []


def test_a_crash_between_send_and_mark_is_resent_after_the_lease_with_the_same_message_id(alice):
    notice = NotificationFactory(recipient=alice)
    with mock.patch("apps.core.outbox._mark_sent", side_effect=SystemExit("worker killed")):
        with pytest.raises(SystemExit):
            outbox.deliver(notice.pk)
    assert len(mail.outbox) == 1
    assert outbox.sweep() == 0  # the lease still holds: it might be still sending
    _expire_leases()
    assert outbox.sweep() == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2
    first, second = (m.extra_headers["Message-ID"] for m in mail.outbox)
    assert first == second == outbox.message_id(notice.key)
    assert outbox.sweep() == 0


def test_the_message_id_comes_from_the_key():
    assert outbox.message_id("a") == outbox.message_id("a") != outbox.message_id("b")
    assert outbox.message_id("a").startswith("<") and outbox.message_id("a").endswith(">")


def test_a_newline_in_the_subject_never_reaches_the_header(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.notify(key="t:nl", kind="test", subject="Solicitud «Agua\npotable»\r\n", text="T", recipient=alice)
    assert mail.outbox[0].subject == "[Agenda ATT] Solicitud «Agua potable»"
    Notification.objects.filter(key="t:nl").update(subject="Escrito\npor código viejo", sent_at=None)
    notice = Notification.objects.get(key="t:nl")
    assert outbox.email_message(notice).subject == "[Agenda ATT] Escrito por código viejo"


def test_a_bad_header_row_fails_for_good_and_the_next_row_is_still_sent(alice):
    bad = NotificationFactory(recipient=None, email="ok@example.co")
    Notification.objects.filter(pk=bad.pk).update(email="x@example.co\nBcc: todos@example.co")
    good = NotificationFactory(recipient=alice)
    _expire_leases()
    assert outbox.sweep() == 1
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.failed_at is not None and bad.sent_at is None and "BadHeaderError" in bad.last_error
    assert good.sent_at is not None
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert outbox.sweep() == 0  # the failed row is not retried forever


def test_a_refused_address_fails_for_good(alice):
    import smtplib

    notice = NotificationFactory(recipient=alice)
    refused = smtplib.SMTPRecipientsRefused({alice.email: (550, b"no such user")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        assert outbox.deliver(notice.pk) is False
    notice.refresh_from_db()
    assert notice.failed_at is not None and "SMTPRecipientsRefused" in notice.last_error


def test_a_transient_error_backs_off_then_the_sweep_sends(alice):
    notice = NotificationFactory(recipient=alice)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")):
        assert outbox.deliver(notice.pk) is False
    notice.refresh_from_db()
    assert notice.failed_at is None and notice.lease_until > timezone.now() and "smtp down" in notice.last_error
    assert outbox.sweep() == 0  # backing off
    _expire_leases()
    assert outbox.sweep() == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.last_error == ""


def test_it_gives_up_after_the_maximum_attempts(alice, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    notice = NotificationFactory(recipient=alice)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")):
        assert outbox.deliver(notice.pk) is False
        _expire_leases()
        assert outbox.deliver(notice.pk) is False
    notice.refresh_from_db()
    assert notice.failed_at is not None and notice.attempts == 2


def test_nothing_is_lost_when_the_broker_is_down(alice, amy, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.outbox_deliver, "delay", side_effect=ConnectionError("down")) as delay:
        with django_capture_on_commit_callbacks(execute=True):
            outbox.notify(key="t:a", kind="test", subject="S", text="T", recipient=alice)
            outbox.notify(key="t:b", kind="test", subject="S", text="T", recipient=amy)
    assert delay.call_count == 1  # one try per transaction, not one per person
    assert mail.outbox == []
    assert tasks.outbox_sweep() == 0  # too fresh: their task may still be on its way
    _expire_leases()
    assert tasks.outbox_sweep() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, amy.email])
    assert tasks.outbox_sweep() == 0


def test_the_sweep_sends_oldest_first_in_bounded_batches(alice):
    rows = NotificationFactory.create_batch(3, recipient=alice)
    Notification.objects.filter(pk=rows[2].pk).update(created_at=timezone.now() - timedelta(days=2))
    Notification.objects.exclude(pk=rows[2].pk).update(created_at=timezone.now() - timedelta(days=1))
    assert outbox.sweep(batch=2) == 2
    assert not Notification.objects.filter(pk=rows[2].pk, sent_at=None).exists()
    assert outbox.sweep(batch=2) == 1


def test_retry_puts_a_failed_row_back_in_line(alice, django_capture_on_commit_callbacks):
    notice = NotificationFactory(recipient=alice)
    Notification.objects.filter(pk=notice.pk).update(failed_at=timezone.now(), last_error="ValueError", attempts=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.notifications_retry(ids=[notice.pk]) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.failed_at is None and notice.attempts == 1


def test_the_sweep_is_scheduled_for_celery_beat_from_config(settings):
    from django_celery_beat.schedulers import ModelEntry

    from config.celery import app

    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "core.outbox_sweep"]
    assert entries and entries[0]["schedule"] <= 300
    # What `celery beat` with the DatabaseScheduler does at start (update_from_dict): one row per entry.
    for name, entry in app.conf.beat_schedule.items():
        ModelEntry.from_entry(name, app=app, **entry)
    assert PeriodicTask.objects.filter(task="core.outbox_sweep", enabled=True).exists()


def test_mark_read_touches_only_my_notices(alice, amy):
    mine, other = NotificationFactory(recipient=alice), NotificationFactory(recipient=amy)
    assert outbox.notifications_mark_read(user=alice) == 1
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


def test_the_menu_shows_my_unread_count_in_one_query(client_as, alice, amy, django_assert_num_queries):
    from django.template import Context, Template

    from apps.core.navigation import context as nav_context

    NotificationFactory.create_batch(2, recipient=alice)
    NotificationFactory(recipient=alice, read_at=timezone.now())
    NotificationFactory(recipient=amy)
    html = client_as(alice).get("/inicio/").content.decode()
    assert 'aria-label="Avisos: 2 sin leer"' in html and '<span class="badge warn">2</span>' in html
    request = client_as(alice).get("/inicio/").wsgi_request
    with django_assert_num_queries(1):  # the COUNT, once, however often the template reads it
        Template("{{ n }}{% if n %}{{ n }}{% endif %}").render(Context({"n": nav_context(request)["unread_notices"]}))


def test_the_menu_shows_no_count_when_all_is_read_and_none_to_visitors(client, client_as, alice):
    NotificationFactory(recipient=alice, read_at=timezone.now())
    html = client_as(alice).get("/inicio/").content.decode()
    assert "sin leer" not in html and 'href="/avisos/"' in html
    client.logout()
    with_visitor = client.get("/").content.decode()
    assert 'href="/avisos/"' not in with_visitor


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client_as, alice):
    notice = NotificationFactory(recipient=alice, link="/solicitudes/")
    response = client_as(alice).get(f"/avisos/{notice.pk}/")
    assert response.status_code == 302 and response["Location"] == "/solicitudes/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_someone_elses_notice_answers_404(client_as, alice, amy):
    notice = NotificationFactory(recipient=amy)
    assert client_as(alice).get(f"/avisos/{notice.pk}/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_admin_filters_by_state_and_retries(client_as, adam, alice, django_capture_on_commit_callbacks):
    failed = NotificationFactory(recipient=alice, subject="Aviso que falló", failed_at=timezone.now(),
                                 last_error="BadHeaderError: Header values can't contain newlines")
    NotificationFactory(recipient=alice, subject="Aviso que salió", sent_at=timezone.now())
    client = client_as(adam)
    html = client.get("/admin/core/notification/?estado=fallido").content.decode()
    assert "Aviso que falló" in html and "Aviso que salió" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/core/notification/", {"action": "retry", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.failed_at is None
    assert [m.to for m in mail.outbox] == [[alice.email]]


def test_only_admins_open_the_outbox_admin(client_as, carla):
    assert client_as(carla).get("/admin/core/notification/").status_code == 302
