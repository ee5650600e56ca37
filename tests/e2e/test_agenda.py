"""The agenda in a real browser: a coordinator takes a filed need, accepts the top suggestion, is
stopped on a holiday and moves the date, sees the conflict with another entity's event in the same
municipality, merges them into one joint mission and publishes the period; the municipality and
both entities see it in their agenda and in their iCal feed (parsed with icalendar)."""

import os
import re
from datetime import datetime, timedelta

import holidays
import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.e2e.test_accessibility import axe  # noqa: F401 - the axe-core fixture

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def celery_eager():
    """The live server runs the outbox tasks in-process, also in CI's Redis pass."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _weekday_holiday_and_next_working_day():
    """The first Colombian holiday on a weekday three weeks or more from today, and the first
    working day after it (computed, so the test runs on any date)."""
    today = timezone.localdate()
    names = holidays.country_holidays("CO", years=[today.year, today.year + 1], language="es")
    holiday = min(d for d in names if d >= today + timedelta(days=21) and d.weekday() < 5)
    after = holiday + timedelta(days=1)
    while after in names or after.weekday() >= 5:
        after += timedelta(days=1)
    return holiday, names[holiday], after


def _shot(page, name: str) -> None:
    """Full-page screenshots for people to look at, when AGENDA_SCREENSHOTS names a folder."""
    if folder := os.environ.get("AGENDA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _logout(page):
    page.get_by_role("button", name="Salir").click()


def _feed_uids(page) -> set[str]:
    page.goto("/agenda/calendario/")
    url = page.get_by_label("URL del calendario (iCalendar)").input_value()
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")
    return {str(v["uid"]) for v in Calendar.from_ical(response.body()).walk("VEVENT")}


def test_a_coordinator_turns_a_need_into_a_published_joint_mission(page, login):
    from apps.accounts.models import User
    from apps.agenda.models import AgendaPeriod, Event
    from apps.demand.models import Status as NeedStatus
    from tests.agenda.factories import EventFactory
    from tests.demand.factories import NeedFactory
    from tests.factories import UserFactory, org
    from tests.offer.factories import ServiceFactory

    holiday, holiday_name, moved = _weekday_holiday_and_next_working_day()
    tz = timezone.get_current_timezone()
    carla = UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR)
    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    nina = UserFactory(email="nina@minvivienda.gov.co", organization=org("MinVivienda"))
    nico = UserFactory(email="nico@anm.gov.co", organization=org("ANM"))
    service = ServiceFactory(organization=org("MinVivienda"), name="Formulación de proyectos de acueducto rural",
                             summary="Acueducto rural: formulación y estructuración del proyecto.",
                             sectors=["agua-potable"])
    need = NeedFactory(topic="Acueducto rural de la vereda La Aguadita", modality="presencial")
    other = EventFactory(title="Visita de la ANM a Fusagasugá", providers=["ANM"], municipalities=["25290"],
                         status=Event.Status.CONFIRMED,
                         starts_at=datetime.combine(moved + timedelta(days=2), datetime.min.time(), tzinfo=tz)
                         .replace(hour=9))
    AgendaPeriod.objects.create(name="Próximo trimestre", starts_on=timezone.localdate(),
                                ends_on=moved + timedelta(days=90))

    # The coordinator opens the filed need and accepts the top suggestion on a holiday.
    page.set_viewport_size(DESKTOP)
    login(carla)
    page.goto("/solicitudes/bandeja/")
    page.get_by_role("link", name="Acueducto rural de la vereda La Aguadita").click()
    suggestion = page.locator("article.suggestion").first
    assert service.name in suggestion.inner_text() and "/100" in suggestion.inner_text()
    suggestion.get_by_label("Fecha").fill(holiday.isoformat())
    suggestion.get_by_role("button", name=f"Aceptar {service.name}").click()

    # Stopped: the holiday is named on the date field; the coordinator moves the date.
    page.get_by_text(holiday_name).first.wait_for()
    assert page.get_by_label("Confirmar de todos modos").is_visible()
    assert not Event.objects.filter(needs=need).exists()
    page.get_by_label("Fecha").fill(moved.isoformat())
    page.get_by_role("button", name="Aceptar", exact=True).click()
    page.wait_for_url(re.compile(r"/agenda/jornadas/\d+/$"))
    event = Event.objects.get(needs=need)
    assert timezone.localtime(event.starts_at).date() == moved
    need.refresh_from_db()
    assert need.status == NeedStatus.SCHEDULED
    _shot(page, "agenda-event-1280")

    # The conflict with the ANM's visit to the same municipality; merged into one joint mission.
    page.goto("/agenda/cruces/")
    group = page.locator("section.conflict").filter(has_text="Visita de la ANM a Fusagasugá")
    assert event.title in group.inner_text()
    _shot(page, "agenda-conflicts-1280")
    group.get_by_label("Título de la misión conjunta (opcional)").fill("Misión conjunta de agua y minería")
    group.get_by_role("button", name="Unir en una misión conjunta").click()
    page.wait_for_url(f"**/agenda/jornadas/{event.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Misión conjunta de agua y minería"
    assert "Misión conjunta" in page.locator(".lead").inner_text()
    assert sorted(page.locator("#event-providers li").all_inner_texts()) == sorted(
        [org("ANM").name, org("MinVivienda").name])
    other.refresh_from_db()
    assert other.merged_into_id == event.pk

    # The coordinator publishes the period.
    page.goto("/agenda/periodos/")
    page.get_by_role("button", name="Publicar Próximo trimestre").click()
    page.get_by_text("Agenda del periodo Próximo trimestre publicada.").wait_for()
    assert AgendaPeriod.objects.get().status == AgendaPeriod.Status.PUBLISHED
    _logout(page)

    # Anyone sees it in the national agenda, also on a phone (the list of days, not the table).
    page.set_viewport_size(PHONE)
    page.goto(f"/agenda/?fecha={moved.isoformat()}")
    assert page.locator(".calendar-list").get_by_role("link", name="Misión conjunta de agua y minería").is_visible()
    assert not page.locator("table.calendar").is_visible()
    _shot(page, "agenda-calendar-375")
    page.set_viewport_size(DESKTOP)
    page.reload()
    assert page.locator("table.calendar").get_by_role("link", name="Misión conjunta de agua y minería").is_visible()
    _shot(page, "agenda-calendar-1280")

    # The municipality and both entities see it in their agenda and in their iCal feed.
    uid = f"event-{event.pk}@agenda-att"
    for person in (alice, nina, nico):
        login(person)
        page.goto(f"/agenda/mi-agenda/?fecha={moved.isoformat()}")
        assert page.locator("#proximas").get_by_role("link", name="Misión conjunta de agua y minería").is_visible()
        assert uid in _feed_uids(page), person.email
        _logout(page)


def test_the_event_form_suggests_municipalities_of_the_chosen_department(page, login):
    from tests.factories import UserFactory, org

    csp = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    login(UserFactory(email="nina@minvivienda.gov.co", organization=org("MinVivienda")))
    page.set_viewport_size(PHONE)
    page.goto("/agenda/jornadas/nueva/")
    page.get_by_label("Departamento 1", exact=True).select_option(label="Cundinamarca")
    page.get_by_label("Municipio 1", exact=True).press_sequentially("fusa")
    page.locator('#municipality-options-territorio-0 option[value="Fusagasugá"]').wait_for(state="attached")
    _shot(page, "agenda-form-375")
    assert csp == []


def test_the_agenda_pages_have_no_wcag_aa_violations(page, login, axe):  # noqa: F811
    from apps.accounts.models import User
    from tests.agenda.factories import EventFactory
    from tests.e2e.test_accessibility import _violations
    from tests.factories import UserFactory, org

    event = EventFactory()
    found = {}

    def scan(paths):
        for path in paths:
            page.goto(path)
            if violations := _violations(page, axe):
                found[path] = violations

    login(UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR))
    scan(["/agenda/?fecha=2027-03-01", "/agenda/?fecha=2027-03-01&vista=semana", f"/agenda/jornadas/{event.pk}/",
          "/agenda/jornadas/nueva/", "/agenda/cruces/", "/agenda/periodos/", "/agenda/calendario/",
          "/agenda/mi-agenda/"])
    assert found == {}
