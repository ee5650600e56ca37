"""The follow-up surveys end to end, in Chromium with a real Celery worker on Redis (issue 14's
"Done when"): a coordinator marks a jornada realised in the browser; the worker e-mails each
participant a personal link; Laura answers on a phone (no JavaScript needed), asks for more help,
and a second submit from another tab changes nothing; the reminder sweep three days later (the
moment passed in) reaches Rosa, who did not answer, and not Laura; Laura's "sí" left a draft need
for Fusagasugá whose editor is told; the coordinators' dashboard and the public API show the new
figures.

Runs in .ci/run's PostgreSQL/Redis pass (REDIS_URL set, REQUIRE_REDIS=1 and E2E_REQUIRED=1 there).
"""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.core.test_celery_worker import _database_url, _wait_for, redis_client  # noqa: F401 - fixture
from tests.e2e.test_accessibility import _violations, axe  # noqa: F401 - the axe-core fixture

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _shot(page, name: str) -> None:
    """Full-page screenshots for people to look at, when AGENDA_SCREENSHOTS names a folder."""
    if folder := os.environ.get("AGENDA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def worker(redis_client, tmp_path):  # noqa: F811
    """A real worker on the test database; e-mails land in a file, one line per message."""
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite test database cannot be shared with a worker process")
    sent_file = tmp_path / "sent.tsv"
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "DATABASE_URL": _database_url(),
           "EMAIL_BACKEND": "tests.core.mail_recorder.RecordingBackend", "OUTBOX_TEST_MAIL_FILE": str(sent_file)}
    log = Path(tmp_path / "worker.log").open("w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", "celery",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False  # the live server queues the deliveries on Redis
    try:
        yield sent_file
    finally:
        app.conf.task_always_eager = previous
        process.terminate()
        process.wait(timeout=30)
        log.close()
        redis_client.delete("celery")


def _sent(sent_file: Path) -> dict[str, str]:
    """Message-ID → recipient of every e-mail the worker sent."""
    lines = sent_file.read_text().splitlines() if sent_file.exists() else []
    return dict(line.split("\t") for line in lines)


def _delivered(sent_file: Path, key: str, what: str) -> str:
    """Wait until the worker has e-mailed the notice with `key`; its site link."""
    from apps.core import outbox
    from apps.core.models import Notification

    message_id = outbox.message_id(key)

    def done() -> bool:  # e-mailed, then marked sent
        return message_id in _sent(sent_file) and Notification.objects.filter(key=key, sent_at__isnull=False).exists()

    _wait_for(done, timeout=90, what=what)
    return Notification.objects.get(key=key).link


def _answer(page, *, satisfaction: str, more_help: str) -> None:
    """Fill the form as a person does: tap the level's description, the option's word."""
    page.locator("#q-T01").get_by_text(satisfaction).click()
    for key in ("T02", "T03", "T04", "T05"):
        page.locator(f"#q-{key}").get_by_text("4", exact=True).click()
    page.locator("#q-T06").get_by_label("Sí", exact=True).check()
    page.locator("#q-T07").get_by_label(more_help, exact=True).check()
    page.get_by_label(re.compile("Algo más que quiera contarnos")).fill("Nos sirvió para el proyecto del acueducto.")


@pytest.mark.celery_worker
def test_a_realised_event_is_followed_up_from_the_e_mail_to_the_dashboard(page, login, worker, browser, live_server):
    from apps.accounts.models import User
    from apps.agenda.models import Event
    from apps.core import outbox
    from apps.core.models import Notification
    from apps.demand.models import Need
    from apps.demand.models import Status as NeedStatus
    from apps.monitoring.models import Audience, Invitation
    from apps.monitoring.services import followups_send_due
    from apps.surveys.models import Submission
    from tests.agenda.factories import EventFactory
    from tests.factories import UserFactory, org

    sent_file = worker
    carla = UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR)
    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    start = timezone.now() - timedelta(hours=3)
    event = EventFactory(title="Formulación del acueducto veredal", status=Event.Status.CONFIRMED, starts_at=start,
                         ends_at=start + timedelta(hours=2), providers=["MinVivienda"], municipalities=["25290"])
    event.attendees.create(name="Laura Méndez", email="laura@fusagasuga.gov.co", organization=org("25290"))
    event.attendees.create(name="Rosa Vecina", email="rosa@example.co")
    event.attendees.create(name="Iván Ingeniero", email="ivan@minvivienda.gov.co", organization=org("MinVivienda"))

    # The coordinator marks the jornada realised in the browser.
    page.set_viewport_size(DESKTOP)
    login(carla)
    page.goto(event.get_absolute_url())
    page.get_by_role("button", name="Marcar como realizada").click()
    page.locator("#event-status", has_text="Realizada").wait_for()

    # The worker e-mails each participant a personal link.
    invitations = {i.email: i for i in Invitation.objects.filter(event=event, audience=Audience.TERRITORY)}
    assert set(invitations) == {"laura@fusagasuga.gov.co", "rosa@example.co"}
    link = _delivered(sent_file, f"followup:{invitations['laura@fusagasuga.gov.co'].pk}:invite", "Laura's e-mail")
    _delivered(sent_file, f"followup:{invitations['rosa@example.co'].pk}:invite", "Rosa's e-mail")
    laura_id = invitations["laura@fusagasuga.gov.co"].pk

    # Laura opens it on a phone, without an account, in two tabs (a double submit).
    phone = browser.new_context(locale="es-CO", base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    csp: list[str] = []
    first, second = phone.new_page(), phone.new_page()
    for tab in (first, second):
        tab.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        assert tab.goto(link).status == 200
    assert first.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    _answer(first, satisfaction="Satisfecho: nos sirvió para lo que necesitábamos.", more_help="Sí")
    _shot(first, "followup-form-375")
    first.get_by_role("button", name="Enviar mis respuestas").click()
    first.get_by_role("heading", name="¡Gracias! Recibimos sus respuestas.").wait_for()
    assert "borrador de solicitud" in first.content()
    _shot(first, "followup-thanks-375")
    _answer(second, satisfaction="Nada satisfecho: no nos sirvió.", more_help="No")
    with second.expect_response(lambda r: r.request.method == "POST") as posted:
        second.get_by_role("button", name="Enviar mis respuestas").click()
    assert posted.value.status == 410
    second.get_by_role("heading", name="Ya respondió esta encuesta. ¡Gracias!").wait_for()
    _shot(second, "followup-already-375")
    assert csp == []
    phone.close()
    answer = Submission.objects.get(source_key=f"followup:{laura_id}")
    assert dict(answer.answers.filter(question__key="T01").values_list("question__key", "number")) == {"T01": 4}
    assert Submission.objects.filter(source_key__startswith="followup:").count() == 1

    # "More help": a draft need for Fusagasugá, and its editor is told (by e-mail too).
    laura = Invitation.objects.get(pk=laura_id)
    need = laura.opened_need
    assert need is not None and need.status == NeedStatus.DRAFT and need.municipality.code == "25290"
    assert Need.objects.filter(status=NeedStatus.DRAFT, organization=org("25290")).count() == 1
    _delivered(sent_file, f"followup:{laura_id}:need:{need.pk}:{alice.pk}", "the editor's notice")

    # Three days later the reminder sweep (time passed in) reaches Rosa, not Laura.
    rosa = Invitation.objects.get(pk=invitations["rosa@example.co"].pk)
    result = followups_send_due(now=rosa.sent_at + timedelta(days=3, minutes=1))
    assert result["reminded"] >= 1
    reminder_link = _delivered(sent_file, f"followup:{rosa.pk}:reminder:1", "Rosa's reminder")
    assert reminder_link == Notification.objects.get(key=f"followup:{rosa.pk}:invite").link  # the same link
    assert not Notification.objects.filter(key__startswith=f"followup:{laura_id}:reminder:").exists()
    assert outbox.message_id(f"followup:{laura_id}:reminder:1") not in _sent(sent_file)
    assert _sent(sent_file)[outbox.message_id(f"followup:{rosa.pk}:reminder:1")] == "rosa@example.co"

    # The coordinators' dashboard and the API show the new figures: Laura's 4 out of 5; 1 of the
    # 3 follow-ups sent (Laura, Rosa, Iván) answered.
    page.goto("/seguimiento/")
    assert page.locator("#ind-satisfaction .figure").inner_text() == "4 puntos"
    assert page.locator("#ind-response_rate .figure").inner_text() == "33,3 %"
    _shot(page, "followup-dashboard-1280")
    response = page.request.get("/api/v1/monitoring/indicators/?code=satisfaction&code=response_rate")
    assert response.status == 200
    figures = {row["code"]: row for row in json.loads(response.body())}
    assert figures["satisfaction"]["value"] == 4.0 and figures["satisfaction"]["denominator"] == 1
    assert (figures["response_rate"]["numerator"], figures["response_rate"]["denominator"]) == (1, 3)


def test_the_answer_pages_have_no_wcag_aa_violations_on_a_phone(page, axe):  # noqa: F811
    """The form (also with its errors), the thanks, and the used, expired and invalid link pages."""
    from apps.accounts.models import User
    from apps.agenda.services import event_transition
    from apps.monitoring import links
    from apps.monitoring.models import Audience, Invitation
    from tests.factories import UserFactory, org
    from tests.monitoring.followup_helpers import confirmed_event

    carla = UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR)
    event = confirmed_event()
    event_transition(user=carla, event=event, action="complete")
    laura, rosa = (Invitation.objects.get(event=event, audience=Audience.TERRITORY, email=email)
                   for email in ("laura@fusagasuga.gov.co", "vecina@example.co"))
    Invitation.objects.filter(pk=rosa.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page.set_viewport_size(PHONE)
    found = {}

    def scan(name):
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        if violations := _violations(page, axe):
            found[name] = violations

    page.goto(links.invitation_path(laura))
    scan("form")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.get_by_text("Revise las preguntas marcadas").wait_for()
    scan("form with errors")
    _shot(page, "followup-errors-375")
    for key in ("T01", "T02", "T03", "T04", "T05"):
        page.locator(f"#q-{key} input[value='3']").check()
    page.locator("#q-T06").get_by_label("En parte", exact=True).check()
    page.locator("#q-T07").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.get_by_role("heading", name="¡Gracias! Recibimos sus respuestas.").wait_for()
    scan("thanks")
    for name, path in (("used", links.invitation_path(laura)), ("expired", links.invitation_path(rosa)),
                       ("invalid", "/seguimiento/responder/" + "x" * 40 + "/")):
        page.goto(path)
        scan(name)
    assert found == {}


def test_each_question_sits_inside_its_box_on_a_phone(page):
    """A question long enough to wrap on a phone is read inside its box, not across its top border."""
    from apps.accounts.models import User
    from apps.agenda.services import event_transition
    from apps.monitoring import links
    from apps.monitoring.models import Audience, Invitation
    from tests.factories import UserFactory, org
    from tests.monitoring.followup_helpers import confirmed_event

    carla = UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR)
    event = confirmed_event()
    event_transition(user=carla, event=event, action="complete")
    laura = Invitation.objects.get(event=event, audience=Audience.TERRITORY, email="laura@fusagasuga.gov.co")
    page.set_viewport_size(PHONE)
    page.goto(links.invitation_path(laura))
    boxes = page.locator("fieldset")
    assert boxes.count() >= 5
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        legend = boxes.nth(i).locator("legend").bounding_box()
        assert legend["y"] >= box["y"] + 8, i  # below the border and inside the padding
        assert legend["x"] + legend["width"] <= box["x"] + box["width"], i
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
