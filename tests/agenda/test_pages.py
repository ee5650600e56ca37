"""The agenda's pages: the national calendar (month, week, filters, export), mi agenda, the event
page with add-to-calendar, the event form, accepting a match from the need page, conflicts and
their merge, periods, the private feed and its settings, and the panels on other pages."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from apps.agenda.models import AgendaPeriod, Attendee, CalendarFeed, Event
from apps.demand.models import Status as NeedStatus
from tests.agenda.factories import EventFactory as _EventFactory
from tests.agenda.factories import at
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db

MARCH = "/agenda/?fecha=2027-03-01"


def EventFactory(**kwargs) -> Event:  # noqa: N802 - reads like the factory it wraps
    """Events of the published agenda unless `published=False` (a published period covers March 2027)."""
    published = kwargs.pop("published", True)
    event = _EventFactory(**kwargs)
    if published:
        period, _created = AgendaPeriod.objects.get_or_create(
            name="2027-T1", defaults={"starts_on": date(2027, 1, 1), "ends_on": date(2027, 3, 31),
                                      "status": AgendaPeriod.Status.PUBLISHED})
        Event.objects.filter(pk=event.pk).update(period=period)
        event.refresh_from_db()
    return event


def _html(response) -> str:
    return response.content.decode()


# --- The national calendar ---------------------------------------------------------------------

def test_anyone_sees_the_published_agenda_by_month(client):
    EventFactory(title="Taller de acueductos veredales")
    EventFactory(title="Borrador interno", published=False)
    html = _html(client.get(MARCH))
    assert "Marzo de 2027" in html
    assert "Taller de acueductos veredales" in html
    assert "Borrador interno" not in html
    assert '<th scope="col"><abbr title="lunes">lun</abbr></th>' in html  # Monday first
    assert "Día de San José (observado)" in html  # the 22nd is a holiday


def test_the_week_view_shows_only_that_week(client):
    EventFactory(title="Martes 2", starts_at=at(0))
    EventFactory(title="Martes 9", starts_at=at(7))
    html = _html(client.get("/agenda/?fecha=2027-03-03&vista=semana"))
    assert "1 al 7 de marzo de 2027" in html
    assert "Martes 2" in html and "Martes 9" not in html


def test_filters_narrow_the_calendar(client):
    EventFactory(title="En Fusagasugá", municipalities=["25290"], providers=["MinVivienda"])
    EventFactory(title="En Medellín", municipalities=["05001"], providers=["ANM"])
    html = _html(client.get(MARCH + "&department=05"))
    assert "En Medellín" in html and "En Fusagasugá" not in html
    anm = Event.objects.get(title="En Medellín").providers.get()
    html = _html(client.get(MARCH + f"&entity={anm.pk}"))
    assert "En Medellín" in html and "En Fusagasugá" not in html
    html = _html(client.get(MARCH + "&kind=taller"))
    assert "En Medellín" not in html and "En Fusagasugá" not in html


def test_a_municipality_sees_its_unpublished_events_but_not_others(client_as, alice):
    EventFactory(title="Visita a Fusagasugá", published=False, municipalities=["25290"])
    EventFactory(title="Visita a Medellín", published=False, municipalities=["05001"])
    html = _html(client_as(alice).get(MARCH))
    assert "Visita a Fusagasugá" in html and "Visita a Medellín" not in html


def test_the_calendar_costs_the_same_queries_for_one_event_and_for_many(client, django_assert_num_queries):
    EventFactory()
    # An anonymous visit: events (with period), providers, municipalities (with departments),
    # departments, services; then the options of the department, entity and sector filters.
    with django_assert_num_queries(8):
        client.get(MARCH)
    for day in range(10):
        EventFactory(starts_at=at(day))
    with django_assert_num_queries(8):
        client.get(MARCH)


def test_the_export_has_the_filtered_rows_in_csv_and_xlsx(client):
    EventFactory(title="=HYPERLINK(\"x\")", municipalities=["25290"])
    EventFactory(title="En Medellín", municipalities=["05001"])
    EventFactory(title="No publicada", published=False)
    response = client.get("/agenda/exportar/?fecha=2027-03-01&department=25&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Número", "Jornada"]
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(\"x\")"]
    assert rows[1][4] == "2027-03-02 08:00"
    response = client.get("/agenda/exportar/?fecha=2027-03-01&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == ["'=HYPERLINK(\"x\")", "En Medellín"]
    assert next(sheet.iter_rows(min_row=2, values_only=True))[4].hour == 8


# --- Mi agenda -----------------------------------------------------------------------------------

def test_mi_agenda_lists_what_the_organisation_provides_and_what_comes_to_its_territory(
        client_as, nina, alice, bob):
    EventFactory(title="De MinVivienda en Medellín", providers=["MinVivienda"], municipalities=["05001"],
                 published=False)
    EventFactory(title="De la ANM en Fusagasugá", providers=["ANM"], municipalities=["25290"], published=False)
    html = _html(client_as(nina).get("/agenda/mi-agenda/?fecha=2027-03-01"))
    assert "De MinVivienda en Medellín" in html and "De la ANM en Fusagasugá" not in html
    html = _html(client_as(alice).get("/agenda/mi-agenda/?fecha=2027-03-01"))
    assert "De la ANM en Fusagasugá" in html and "De MinVivienda en Medellín" not in html
    html = _html(client_as(bob).get("/agenda/mi-agenda/?fecha=2027-03-01"))
    assert "De MinVivienda en Medellín" in html and "De la ANM en Fusagasugá" not in html


def test_mi_agenda_needs_a_sign_in(client):
    assert client.get("/agenda/mi-agenda/").status_code == 302


# --- The event page ------------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "status"), [
    (None, 404), ("alice", 200), ("amy", 404), ("bob", 404), ("dora", 200), ("dario", 404),
    ("nina", 200), ("nico", 404), ("carla", 200),
])
def test_who_opens_an_unpublished_event(request, client_as, persona, status):
    event = EventFactory(published=False, providers=["MinVivienda"], municipalities=["25290"])
    user = request.getfixturevalue(persona) if persona else None
    assert client_as(user).get(f"/agenda/jornadas/{event.pk}/").status_code == status
    assert client_as(user).get(f"/agenda/jornadas/{event.pk}/ics/").status_code == status


@pytest.mark.parametrize(("persona", "sees"), [
    (None, False), ("alice", False), ("nico", False), ("nina", True), ("carla", True),
])
def test_attendees_are_shown_only_to_providers_and_coordinators(request, client_as, persona, sees):
    event = EventFactory(providers=["MinVivienda"])
    Attendee.objects.create(event=event, name="Rosa Pérez", email="rosa@fusagasuga.gov.co")
    user = request.getfixturevalue(persona) if persona else None
    html = _html(client_as(user).get(f"/agenda/jornadas/{event.pk}/"))
    assert ("rosa@fusagasuga.gov.co" in html) is sees
    assert event.title in html


def test_the_event_page_offers_ics_google_and_outlook(client):
    event = EventFactory(title="Mesa técnica de vivienda")
    html = _html(client.get(f"/agenda/jornadas/{event.pk}/"))
    assert f"/agenda/jornadas/{event.pk}/ics/" in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "https://outlook.office.com/calendar/0/deeplink/compose?" in html
    response = client.get(f"/agenda/jornadas/{event.pk}/ics/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["summary"]) == "Mesa técnica de vivienda"
    assert str(vevent["url"]) == f"http://testserver/agenda/jornadas/{event.pk}/"


def test_the_event_page_lists_only_the_needs_the_visitor_may_open(client_as, alice, bob, carla):
    event = EventFactory(municipalities=["25290", "05001"])
    mine = NeedFactory(topic="Acueducto de Fusa")
    theirs = NeedFactory(topic="Acueducto de Medellín", organization=org("05001"))
    event.needs.set([mine, theirs])
    html = _html(client_as(alice).get(f"/agenda/jornadas/{event.pk}/"))
    assert "Acueducto de Fusa" in html and "Acueducto de Medellín" not in html
    html = _html(client_as(carla).get(f"/agenda/jornadas/{event.pk}/"))
    assert "Acueducto de Fusa" in html and "Acueducto de Medellín" in html


# --- The event form ------------------------------------------------------------------------------

def _form(**overrides) -> dict:
    data = {"title": "Taller de formulación", "kind": "taller", "day": "2027-03-02", "start_time": "08:00",
            "end_time": "12:00", "end_day": "", "modality": "presencial", "place": "Alcaldía", "video_url": "",
            "description": "", "attendees": "Rosa Pérez, rosa@fusagasuga.gov.co, Alcaldía de Fusagasugá",
            "territorio-TOTAL_FORMS": "3", "territorio-INITIAL_FORMS": "0", "territorio-MIN_NUM_FORMS": "0",
            "territorio-MAX_NUM_FORMS": "10", "territorio-0-department": "25",
            "territorio-0-municipality_name": "fusagasuga"}
    return data | overrides


def test_an_entity_editor_proposes_an_event_typing_the_municipality(client_as, nina):
    service = ServiceFactory(organization=org("MinVivienda"))
    client = client_as(nina)
    assert "Proponer una jornada" in _html(client.get("/agenda/jornadas/nueva/"))
    response = client.post("/agenda/jornadas/nueva/", _form(services=[service.pk]))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agenda/jornadas/{event.pk}/"
    assert [m.code for m in event.municipalities.all()] == ["25290"]
    assert [p.name for p in event.providers.all()] == [nina.organization.name]
    assert list(event.attendees.values_list("email", flat=True)) == ["rosa@fusagasuga.gov.co"]
    assert event.status == Event.Status.PROPOSED


def test_a_holiday_is_refused_on_the_date_field_until_confirmed(client_as, nina):
    client = client_as(nina)
    html = _html(client.post("/agenda/jornadas/nueva/", _form(day="2027-03-22")))
    assert "festivo en Colombia: Día de San José (observado)" in html
    assert "Confirmar de todos modos" in html
    assert not Event.objects.exists()
    response = client.post("/agenda/jornadas/nueva/", _form(day="2027-03-22", confirm_non_working_day="on"))
    assert response.status_code == 302
    assert timezone.localtime(Event.objects.get().starts_at).date() == date(2027, 3, 22)


def test_the_form_says_what_is_wrong_in_spanish(client_as, nina):
    html = _html(client_as(nina).post("/agenda/jornadas/nueva/", _form(
        title="", end_time="07:00", attendees="Rosa, no-es-correo", **{"territorio-0-municipality_name": "Medellín"})))
    assert "Este campo es requerido." in html
    assert "La hora de fin debe ser posterior a la de inicio." in html
    assert "«no-es-correo» no es un correo válido" in html
    assert "No encontramos «Medellín» en Cundinamarca" in html
    assert not Event.objects.exists()


def test_a_coordinator_chooses_the_providers_of_a_joint_mission(client_as, carla, nina, nico):
    client = client_as(carla)
    providers = [nina.organization.pk, nico.organization.pk]
    response = client.post("/agenda/jornadas/nueva/", _form(providers=providers))
    assert response.status_code == 302
    assert sorted(Event.objects.get().providers.values_list("pk", flat=True)) == sorted(providers)


def test_municipalities_cannot_open_the_form(client_as, alice):
    assert client_as(alice).get("/agenda/jornadas/nueva/").status_code == 403


def test_a_provider_edits_its_proposal_but_not_another_entity(client_as, nina, nico):
    event = EventFactory(published=False, providers=["MinVivienda"])
    assert client_as(nico).get(f"/agenda/jornadas/{event.pk}/editar/").status_code == 404
    client = client_as(nina)
    page = _html(client.get(f"/agenda/jornadas/{event.pk}/editar/"))
    assert event.title in page and 'value="Fusagasugá"' in page
    response = client.post(f"/agenda/jornadas/{event.pk}/editar/", _form(title="Nuevo título"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Nuevo título"


def test_a_coordinator_confirms_from_the_event_page(client_as, carla):
    event = EventFactory()
    response = client_as(carla).post(f"/agenda/jornadas/{event.pk}/estado/", {"action": "confirm"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CONFIRMED


def test_a_provider_cannot_confirm_and_is_told_why(client_as, nina):
    event = EventFactory(providers=["MinVivienda"])
    response = client_as(nina).post(f"/agenda/jornadas/{event.pk}/estado/", {"action": "confirm"}, follow=True)
    assert "Solo la coordinación DNP puede «confirmar» esta jornada." in _html(response)
    event.refresh_from_db()
    assert event.status == Event.Status.PROPOSED


# --- Matches from the need page ------------------------------------------------------------------

def _need_and_service():
    service = ServiceFactory(organization=org("MinVivienda"), name="Formulación de acueductos rurales",
                             sectors=["agua-potable"], summary="Acueducto rural: formulación del proyecto.")
    need = NeedFactory(topic="Acueducto rural de la vereda", modality="virtual")
    return need, service


def test_the_coordinator_sees_suggestions_with_score_and_reasons_on_the_need_page(client_as, carla, alice):
    need, service = _need_and_service()
    html = _html(client_as(carla).get(f"/solicitudes/{need.pk}/"))
    assert "Servicios sugeridos" in html and service.name in html
    assert "/100" in html and "Aceptar" in html
    assert "Servicios sugeridos" not in _html(client_as(alice).get(f"/solicitudes/{need.pk}/"))


def test_accepting_a_suggestion_schedules_the_need_in_a_new_event(client_as, carla, alice):
    need, service = _need_and_service()
    response = client_as(carla).post("/agenda/sugerencias/aceptar/", {
        "need": need.pk, "service": service.pk, "day": "2027-03-02", "start_time": "08:00", "end_time": "12:00"})
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agenda/jornadas/{event.pk}/"
    need.refresh_from_db()
    assert need.status == NeedStatus.SCHEDULED
    assert list(event.needs.all()) == [need]
    html = _html(client_as(alice).get(f"/solicitudes/{need.pk}/"))
    assert event.title in html  # the need page shows its event


def test_accepting_on_a_holiday_stops_then_a_new_date_goes_through(client_as, carla):
    need, service = _need_and_service()
    client = client_as(carla)
    body = {"need": need.pk, "service": service.pk, "day": "2027-03-22", "start_time": "08:00", "end_time": "12:00"}
    response = client.post("/agenda/sugerencias/aceptar/", body)
    assert response.status_code == 200
    assert "Día de San José (observado)" in _html(response) and "Confirmar de todos modos" in _html(response)
    assert not Event.objects.exists()
    response = client.post("/agenda/sugerencias/aceptar/", body | {"day": "2027-03-23"})
    assert response.status_code == 302
    assert timezone.localtime(Event.objects.get().starts_at).date() == date(2027, 3, 23)


@pytest.mark.parametrize("persona", [None, "alice", "nina"])
def test_only_coordinators_accept_suggestions(request, client_as, persona):
    need, service = _need_and_service()
    user = request.getfixturevalue(persona) if persona else None
    response = client_as(user).post("/agenda/sugerencias/aceptar/", {"need": need.pk, "service": service.pk,
                                                                    "day": "2027-03-02", "start_time": "08:00",
                                                                    "end_time": "12:00"})
    assert response.status_code in (302, 403) and not Event.objects.exists()


# --- Conflicts and periods -----------------------------------------------------------------------

def test_the_coordinator_merges_a_conflict_into_a_joint_mission(client_as, carla):
    first = EventFactory(title="Visita MinVivienda", providers=["MinVivienda"], starts_at=at(0), published=False)
    second = EventFactory(title="Visita ANM", providers=["ANM"], starts_at=at(3), published=False)
    client = client_as(carla)
    html = _html(client.get("/agenda/cruces/"))
    assert "Fusagasugá" in html and "Visita MinVivienda" in html and "Visita ANM" in html
    assert "Unir en una misión conjunta" in html
    response = client.post("/agenda/cruces/unir/", {"events": [first.pk, second.pk], "title": "Misión conjunta"})
    assert response.status_code == 302 and response["Location"] == f"/agenda/jornadas/{first.pk}/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title == "Misión conjunta" and first.providers.count() == 2
    assert second.merged_into == first
    html = _html(client.get(f"/agenda/jornadas/{first.pk}/"))
    assert "Misión conjunta" in html and "Visita ANM" in html  # keeps a link to its source


@pytest.mark.parametrize("persona", ["alice", "nina"])
def test_conflicts_and_periods_are_for_coordinators(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get("/agenda/cruces/").status_code == 403
    assert client.get("/agenda/periodos/").status_code == 403


def test_the_coordinator_creates_and_publishes_a_period(client_as, client, carla):
    EventFactory(title="Jornada del trimestre", published=False)
    coordinator = client_as(carla)
    response = coordinator.post("/agenda/periodos/", {"name": "2027-T1", "starts_on": "2027-01-01",
                                                      "ends_on": "2027-03-31"})
    assert response.status_code == 302
    period = AgendaPeriod.objects.get()
    html = _html(coordinator.get("/agenda/periodos/"))
    assert "2027-T1" in html and "Publicar" in html
    coordinator.post(f"/agenda/periodos/{period.pk}/publicar/")
    period.refresh_from_db()
    assert period.status == AgendaPeriod.Status.PUBLISHED
    coordinator.logout()
    assert "Jornada del trimestre" in _html(client.get(MARCH))


def test_a_bad_period_is_refused_in_spanish(client_as, carla):
    response = client_as(carla).post("/agenda/periodos/", {"name": "X", "starts_on": "2027-03-31",
                                                          "ends_on": "2027-01-01"}, follow=True)
    assert "El periodo debe terminar después de empezar." in _html(response)
    assert not AgendaPeriod.objects.exists()


# --- Feeds ---------------------------------------------------------------------------------------

def test_the_feed_settings_give_a_url_that_serves_the_organisations_events(client_as, client, nina):
    EventFactory(title="De MinVivienda", providers=["MinVivienda"], published=False)
    EventFactory(title="De la ANM", providers=["ANM"], municipalities=["05001"], published=False)
    html = _html(client_as(nina).get("/agenda/calendario/"))
    feed = CalendarFeed.objects.get(organization=nina.organization)
    assert f"/agenda/ical/{feed.token}.ics" in html and "Generar una nueva URL" in html
    client.logout()
    response = client.get(f"/agenda/ical/{feed.token}.ics")
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert [str(v["summary"]) for v in cal.walk("VEVENT")] == ["De MinVivienda"]
    assert str(cal["x-wr-calname"]) == f"Agenda ATT · {nina.organization.name}"


def test_a_new_url_revokes_the_old_one(client_as, client, nina):
    user_client = client_as(nina)
    user_client.get("/agenda/calendario/")
    old = CalendarFeed.objects.get().token
    response = user_client.post("/agenda/calendario/", follow=True)
    new = CalendarFeed.objects.get().token
    assert new != old and "La anterior dejó de funcionar." in _html(response)
    user_client.logout()
    assert client.get(f"/agenda/ical/{old}.ics").status_code == 404
    assert client.get(f"/agenda/ical/{new}.ics").status_code == 200


def test_a_municipalitys_feed_has_the_events_in_its_territory(client_as, client, alice):
    EventFactory(title="En Fusagasugá", providers=["ANM"], municipalities=["25290"], published=False)
    EventFactory(title="En Agua de Dios", providers=["ANM"], municipalities=["25001"], published=False)
    client_as(alice).get("/agenda/calendario/")
    token = CalendarFeed.objects.get(organization=alice.organization).token
    cal = Calendar.from_ical(client.get(f"/agenda/ical/{token}.ics").content)
    assert [str(v["summary"]) for v in cal.walk("VEVENT")] == ["En Fusagasugá"]


def test_an_unknown_feed_token_is_404(client):
    assert client.get("/agenda/ical/no-existe.ics").status_code == 404


# --- Panels --------------------------------------------------------------------------------------

def test_territory_and_entity_pages_show_their_events(client):
    upcoming = timezone.now() + timedelta(days=5)
    period = AgendaPeriod.objects.create(name="Ahora", starts_on=timezone.localdate() - timedelta(days=1),
                                         ends_on=timezone.localdate() + timedelta(days=60),
                                         status=AgendaPeriod.Status.PUBLISHED)
    event = _EventFactory(title="Jornada próxima en Fusagasugá", starts_at=upcoming, providers=["MinVivienda"])
    Event.objects.filter(pk=event.pk).update(period=period)
    for path in ("/territorio/municipios/25290/", "/territorio/departamentos/25/",
                 "/territorio/entidades/MinVivienda/"):
        html = _html(client.get(path))
        assert "Agenda de asistencia técnica" in html, path
        assert "Jornada próxima en Fusagasugá" in html, path
    assert "Jornada próxima en Fusagasugá" not in _html(client.get("/territorio/municipios/05001/"))


def test_assistance_delivered_outside_the_platform_is_recorded_as_realised(client_as, carla):
    response = client_as(carla).post("/agenda/jornadas/nueva/", _form(
        day="2026-01-10", recorded_after_the_fact="on", cost="1500000", providers=[org("ESAP").pk]))
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.status, event.recorded_after_the_fact, event.cost) == (Event.Status.DONE, True, 1500000)


def test_a_past_record_must_have_ended(client_as, carla):
    html = _html(client_as(carla).post("/agenda/jornadas/nueva/", _form(
        day=(timezone.localdate() + timedelta(days=30)).isoformat(), recorded_after_the_fact="on",
        providers=[org("ESAP").pk])))
    assert "Una jornada ya realizada debe haber terminado." in html
    assert not Event.objects.exists()


def test_the_coordination_page_suggests_one_trip_and_lists_the_needs_waiting(client_as, carla):
    soon = timezone.now() + timedelta(days=10)
    _EventFactory(title="Fusagasugá", starts_at=soon, municipalities=["25290"])
    _EventFactory(title="Agua de Dios", starts_at=soon + timedelta(days=2), municipalities=["25001"])
    NeedFactory(topic="Plan de saneamiento olvidado", submitted_at=timezone.now() - timedelta(days=40))
    NeedFactory(topic="Recién radicada")
    html = _html(client_as(carla).get("/agenda/cruces/"))
    trips = html[html.index('id="viajes"'):html.index('id="espera"')]
    assert "Fusagasugá" in trips and "Agua de Dios" in trips and "Unir en un solo viaje" in trips
    waiting = html[html.index('id="espera"'):html.index('id="carga"')]
    assert "Plan de saneamiento olvidado" in waiting and "Recién radicada" not in waiting
    assert "Ministerio de Vivienda" in html[html.index('id="carga"'):]


def test_a_merged_jornada_stays_in_the_feed_as_cancelled_so_calendars_drop_it(client_as, client, carla, nico):
    from apps.agenda import services

    first = EventFactory(providers=["MinVivienda"], starts_at=at(0), published=False)
    second = EventFactory(providers=["ANM"], starts_at=at(2), published=False)
    services.events_merge(user=carla, events=[first, second])
    client_as(nico).get("/agenda/calendario/")
    token = CalendarFeed.objects.get(organization=nico.organization).token
    entries = {str(v["uid"]): str(v["status"])
               for v in Calendar.from_ical(client.get(f"/agenda/ical/{token}.ics").content).walk("VEVENT")}
    assert entries == {f"event-{first.pk}@agenda-att": "TENTATIVE", f"event-{second.pk}@agenda-att": "CANCELLED"}


def test_the_municipality_page_links_to_the_agenda_filtered_to_it(client):
    EventFactory(title="En Fusagasugá", municipalities=["25290"])
    EventFactory(title="En Agua de Dios", municipalities=["25001"])
    html = _html(client.get(MARCH + "&municipality=25290"))
    assert "Jornadas en Fusagasugá." in html
    assert "En Fusagasugá" in html and "En Agua de Dios" not in html
    assert "/agenda/?municipality=25290" in _html(client.get("/territorio/municipios/25290/"))
