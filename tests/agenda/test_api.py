"""/api/v1/agenda/: matches, events, transitions, conflicts and the feed, authorised per object."""

import pytest

from apps.agenda.models import AgendaPeriod, Event, Status
from apps.demand.models import Status as NeedStatus
from tests.agenda.factories import EventFactory, at
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/agenda/events/"


def _body(**overrides) -> dict:
    body = {"title": "Mesa técnica de acueductos", "kind": "mesa_tecnica", "starts_at": at(0).isoformat(),
            "ends_at": at(0, 12).isoformat(), "modality": "presencial", "providers": [org("MinVivienda").pk],
            "municipalities": ["25290"], "attendees": [{"name": "Ana", "email": "ana@fusagasuga.gov.co"}]}
    return body | overrides


def test_matches_for_a_need_are_ranked_with_spanish_reasons(api_as, carla):
    need = NeedFactory(topic="Acueducto veredal")
    ServiceFactory(name="Acueductos rurales", sectors=["agua-potable"], topics="acueducto")
    response = api_as(carla).get("/api/v1/agenda/matches/", {"need": need.pk})
    assert response.status_code == 200
    (first,) = response.json()
    assert first["service"]["name"] == "Acueductos rurales"
    assert isinstance(first["score"], int)
    assert "Es del mismo sector: Agua Potable y Saneamiento Básico." in first["reasons"]


def test_matches_for_a_service_list_needs(api_as, carla):
    service = ServiceFactory(sectors=["agua-potable"])
    need = NeedFactory()
    response = api_as(carla).get("/api/v1/agenda/matches/", {"service": service.pk})
    assert [m["need"]["id"] for m in response.json()] == [need.pk]


@pytest.mark.parametrize("persona,status", [("alice", 200), ("bob", 404), ("nina", 404), ("carla", 200)])
def test_matches_of_a_need_follow_the_need_visibility(api_as, request, persona, status):
    need = NeedFactory()
    response = api_as(request.getfixturevalue(persona)).get("/api/v1/agenda/matches/", {"need": need.pk})
    assert response.status_code == status


def test_matches_need_exactly_one_of_need_or_service(api_as, carla):
    response = api_as(carla).get("/api/v1/agenda/matches/")
    assert response.status_code == 400
    assert "Indique una solicitud" in response.json()["detail"]


def test_a_coordinator_creates_an_event_with_everything(api_as, carla):
    need = NeedFactory()
    service = ServiceFactory()
    response = api_as(carla).post(EVENTS, _body(needs=[need.pk], services=[service.pk]), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "propuesta"
    assert data["needs"] == [need.pk] and [s["id"] for s in data["services"]] == [service.pk]
    assert data["attendees"] == [{"name": "Ana", "email": "ana@fusagasuga.gov.co", "organization_name": ""}]
    need.refresh_from_db()
    assert need.status == NeedStatus.SCHEDULED


def test_a_holiday_answers_400_naming_the_day_unless_confirmed(api_as, carla):
    body = _body(starts_at=at(20).isoformat(), ends_at=at(20, 12).isoformat())
    response = api_as(carla).post(EVENTS, body, format="json")
    assert response.status_code == 400
    assert "lunes 22 de marzo de 2027 es festivo en Colombia: Día de San José" in response.json()["starts_at"][0]
    response = api_as(carla).post(EVENTS, body | {"confirm_non_working_day": True}, format="json")
    assert response.status_code == 201


def test_an_entity_editor_proposes_for_itself_only(api_as, nina, nico):
    assert api_as(nina).post(EVENTS, _body(), format="json").status_code == 201
    response = api_as(nico).post(EVENTS, _body(), format="json")
    assert response.status_code == 400
    assert "Su organización debe estar" in response.json()["providers"][0]


def test_a_municipality_cannot_create_events(api_as, alice):
    assert api_as(alice).post(EVENTS, _body(), format="json").status_code == 403


def test_an_unknown_or_invisible_need_is_refused(api_as, carla, dario):
    response = api_as(carla).post(EVENTS, _body(needs=[999999]), format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("persona,visible", [
    ("alice", {"fusa", "published"}),              # its municipality + the published agenda
    ("amy", {"published"}),                        # another Cundinamarca municipality
    ("bob", {"medellin", "published"}),
    ("dora", {"fusa", "published"}),               # the department sees its municipalities
    ("dario", {"medellin", "published", "anm"}),  # Bello (05088) is in Antioquia too
    ("nina", {"fusa", "medellin", "published"}),   # MinVivienda provides those two
    ("nico", {"published", "anm"}),
    ("carla", {"fusa", "medellin", "published", "anm"}),
    (None, set()),                                 # the API needs a login
])
def test_each_persona_sees_only_its_events(api_as, request, persona, visible):
    period = AgendaPeriod.objects.create(name="2027-T1", starts_on=at(0).date(), ends_on=at(80).date(),
                                         status=AgendaPeriod.Status.PUBLISHED)
    events = {
        "fusa": EventFactory(title="fusa"),
        "medellin": EventFactory(title="medellin", municipalities=["05001"]),
        "published": EventFactory(title="published", municipalities=["05088"], providers=["ESAP"], period=period),
        "anm": EventFactory(title="anm", municipalities=["05088"], providers=["ANM"]),
    }
    user = request.getfixturevalue(persona) if persona else None
    client = api_as(user)
    response = client.get(EVENTS)
    if persona is None:
        assert response.status_code in (401, 403)
        return
    assert {e["title"] for e in response.json()["results"]} == visible
    for name, event in events.items():
        assert client.get(f"{EVENTS}{event.pk}/").status_code == (200 if name in visible else 404)


def test_attendees_are_shown_only_to_coordinators_and_providers(api_as, alice, nina):
    event = EventFactory()
    event.attendees.create(name="Ana", email="ana@fusagasuga.gov.co")
    assert api_as(alice).get(f"{EVENTS}{event.pk}/").json()["attendees"] == []
    api_as(nina)
    assert len(api_as(nina).get(f"{EVENTS}{event.pk}/").json()["attendees"]) == 1


def test_filters_by_department_and_dates(api_as, carla):
    fusa = EventFactory()
    EventFactory(municipalities=["05001"])
    EventFactory(starts_at=at(45))
    client = api_as(carla)
    response = client.get(EVENTS, {"department": "25", "from": "2027-03-01", "to": "2027-03-31"})
    assert [e["id"] for e in response.json()["results"]] == [fusa.pk]
    assert client.get(EVENTS, {"from": "no-es-fecha"}).status_code == 400


def test_patch_changes_fields_and_refuses_others_events(api_as, nina, nico):
    event = EventFactory()
    response = api_as(nina).patch(f"{EVENTS}{event.pk}/", {"place": "Biblioteca municipal"}, format="json")
    assert response.status_code == 200 and response.json()["place"] == "Biblioteca municipal"
    api_as(nico)
    assert api_as(nico).patch(f"{EVENTS}{event.pk}/", {"place": "x"}, format="json").status_code == 404


def test_transition_confirm_then_complete_is_refused_before_it_happens(api_as, carla):
    event = EventFactory()
    client = api_as(carla)
    response = client.post(f"{EVENTS}{event.pk}/transition/", {"action": "confirm"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "confirmada"
    response = client.post(f"{EVENTS}{event.pk}/transition/", {"action": "complete"}, format="json")
    assert response.status_code == 400
    assert "aún no ha empezado" in response.json()["detail"]


def test_transition_reschedule_needs_a_reason_and_new_dates(api_as, carla):
    event = EventFactory(status=Status.CONFIRMED)
    client = api_as(carla)
    url = f"{EVENTS}{event.pk}/transition/"
    response = client.post(url, {"action": "reschedule"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url, {"action": "reschedule", "reason": "Cruce con el concejo",
                                 "starts_at": at(7).isoformat(), "ends_at": at(7, 12).isoformat()}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "propuesta"


def test_an_unknown_action_answers_400_in_spanish(api_as, carla):
    event = EventFactory()
    response = api_as(carla).post(f"{EVENTS}{event.pk}/transition/", {"action": "borrar"}, format="json")
    assert response.status_code == 400
    assert "no existe" in response.json()["detail"]


def test_conflicts_are_listed_and_merged(api_as, carla):
    a = EventFactory()
    b = EventFactory(providers=["ANM"], starts_at=at(2))
    client = api_as(carla)
    (group,) = client.get("/api/v1/agenda/conflicts/", {"department": "25"}).json()
    assert group["event_ids"] == [a.pk, b.pk]
    assert group["territory"] == {"code": "25290", "name": "Fusagasugá"}
    response = client.post("/api/v1/agenda/conflicts/merge/", {"events": group["event_ids"]}, format="json")
    assert response.status_code == 201
    assert response.json()["id"] == a.pk and response.json()["is_joint"] is True
    assert response.json()["merged_sources"] == [b.pk]
    assert client.get("/api/v1/agenda/conflicts/").json() == []


def test_only_coordinators_merge(api_as, nina):
    a = EventFactory()
    b = EventFactory(starts_at=at(2))
    response = api_as(nina).post("/api/v1/agenda/conflicts/merge/", {"events": [a.pk, b.pk]}, format="json")
    assert response.status_code == 403


def test_the_feed_gives_the_organisations_private_url(api_as, nina):
    response = api_as(nina).get("/api/v1/agenda/feed/")
    assert response.status_code == 200
    token = nina.organization.calendar_feed.token
    assert response.json()["url"].endswith(f"/agenda/ical/{token}.ics")
    assert api_as(nina).get("/api/v1/agenda/feed/").json()["url"] == response.json()["url"]


def test_the_event_list_runs_a_constant_number_of_queries(api_as, carla, django_assert_num_queries):
    for i in range(5):
        EventFactory(starts_at=at(i), providers=["ANM", "MinVivienda"])
    client = api_as(carla)
    # count, events (with period), providers, municipalities (with departments), departments, services
    with django_assert_num_queries(6):
        assert len(client.get(EVENTS).json()["results"]) == 5


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/agenda/events/", "/api/v1/agenda/events/{id}/transition/", "/api/v1/agenda/matches/",
                 "/api/v1/agenda/conflicts/", "/api/v1/agenda/conflicts/merge/", "/api/v1/agenda/feed/"):
        assert path in schema


def test_event_model_default_is_a_proposal():
    assert Event().status == Status.PROPOSED


def test_the_requests_api_refuses_to_schedule_a_need_without_an_event(api_as, carla):
    need = NeedFactory()
    response = api_as(carla).post(f"/api/v1/requests/{need.pk}/transition/", {"action": "schedule"}, format="json")
    assert response.status_code == 400
    assert "jornada de la agenda" in str(response.json())
    EventFactory().needs.add(need)
    response = api_as(carla).post(f"/api/v1/requests/{need.pk}/transition/", {"action": "schedule"}, format="json")
    assert response.status_code == 200


def test_a_joint_mission_shows_each_territory_only_its_own_needs(api_as, alice, bob, carla):
    ours = NeedFactory()  # Fusagasugá's
    theirs = NeedFactory(organization=org("05001"), municipality_id="05001", department_id="05")
    event = EventFactory(municipalities=["25290", "05001"])
    event.needs.set([ours, theirs])
    assert api_as(alice).get(f"{EVENTS}{event.pk}/").json()["needs"] == [ours.pk]
    assert sorted(api_as(carla).get(f"{EVENTS}{event.pk}/").json()["needs"]) == sorted([ours.pk, theirs.pk])
