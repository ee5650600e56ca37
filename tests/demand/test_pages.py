"""The pages: filing (municipality and department), mis solicitudes, detail with thread and
actions, the coordinators' inbox, export, summary, and the municipality panel."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.demand.models import Need, NeedMessage, Status
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory
from tests.factories import org

pytestmark = pytest.mark.django_db

FORM = {"sector": "salud", "topic": "Plan territorial de salud", "capacity": "planeacion",
        "problem": "No tenemos quién lo formule.", "expected_result": "El plan formulado.", "priority": "alta",
        "modality": "virtual", "participants": "4", "window_start": "2026-03-01", "window_end": "2026-04-30",
        "plan_goal": ""}


def _pickers(*names):
    data = {"picker-TOTAL_FORMS": "5", "picker-INITIAL_FORMS": "0", "picker-MIN_NUM_FORMS": "0",
            "picker-MAX_NUM_FORMS": "5"}
    for i in range(5):
        data[f"picker-{i}-department"] = "25"
        data[f"picker-{i}-municipality_name"] = names[i] if i < len(names) else ""
    return data


def test_a_municipal_editor_files_a_need_from_the_form(client_as, alice):
    client = client_as(alice)
    assert "Radicar una solicitud" in client.get("/solicitudes/nueva/").content.decode()
    response = client.post("/solicitudes/nueva/", {**FORM, "submit": "1"})
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/solicitudes/{need.pk}/"
    assert (need.status, need.municipality_id, need.created_by) == (Status.FILED, "25290", alice)


def test_the_form_says_what_is_wrong_in_spanish(client_as, alice):
    response = client_as(alice).post("/solicitudes/nueva/", {**FORM, "topic": "", "window_end": "2026-02-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Este campo es requerido." in html
    assert "La fecha final debe ser posterior a la inicial." in html
    assert not Need.objects.exists()


def test_a_draft_is_saved_then_edited_and_radicada(client_as, alice):
    client = client_as(alice)
    client.post("/solicitudes/nueva/", {**FORM, "draft": "1"})
    need = Need.objects.get()
    assert need.status == Status.DRAFT
    client.post(f"/solicitudes/{need.pk}/editar/", {**FORM, "sector": "salud", "topic": "Mejor tema", "submit": "1"})
    need.refresh_from_db()
    assert (need.topic, need.status) == ("Mejor tema", Status.FILED)


def test_a_department_files_on_behalf_of_two_municipalities_by_typing_their_names(client_as, dora):
    client = client_as(dora)
    html = client.get("/solicitudes/nueva/").content.decode()
    assert "picker-0-municipality_name" in html
    response = client.post("/solicitudes/nueva/", {**FORM, **_pickers("Fusagasuga", "agua de dios"), "submit": "1"})
    assert response.status_code == 302
    assert sorted(Need.objects.values_list("municipality_id", flat=True)) == ["25001", "25290"]


def test_a_department_gets_a_clear_error_for_a_name_not_in_it(client_as, dora):
    response = client_as(dora).post("/solicitudes/nueva/", {**FORM, **_pickers("Medellín"), "submit": "1"})
    assert "No encontramos «Medellín» en Cundinamarca" in response.content.decode()
    assert not Need.objects.exists()


def test_the_form_is_not_for_national_entities_or_coordinators(client_as, nina):
    assert client_as(nina).get("/solicitudes/nueva/").status_code == 403


def test_mis_solicitudes_lists_only_my_organisations_needs(client_as, alice):
    mine = NeedFactory(topic="Lo nuestro")
    NeedFactory(topic="Lo de Agua de Dios", organization=org("25001"))
    html = client_as(alice).get("/solicitudes/").content.decode()
    assert mine.topic in html and "Lo de Agua de Dios" not in html


def test_the_detail_shows_thread_history_and_only_allowed_actions(client_as, alice, carla):
    need = NeedFactory()
    html = client_as(alice).get(f"/solicitudes/{need.pk}/").content.decode()
    assert "Radicada" in html and "Pasar a revisión" not in html
    client = client_as(carla)
    html = client.get(f"/solicitudes/{need.pk}/").content.decode()
    assert "Pasar a revisión" in html and "Rechazar" in html


def test_the_need_page_offers_no_programar_button_without_a_jornada(client_as, carla):
    # The service refuses "schedule" without a jornada: the page schedules through the agenda
    # panel's Aceptar instead of offering a button that always fails.
    need = NeedFactory(status=Status.IN_REVIEW)
    html = client_as(carla).get(f"/solicitudes/{need.pk}/").content.decode()
    assert 'value="schedule"' not in html and "Programar en la agenda" not in html
    assert 'value="reject"' in html and 'value="redirect"' in html


def test_a_coordinator_moves_a_need_and_writes_from_the_page(client_as, carla):
    need = NeedFactory()
    client = client_as(carla)
    client.post(f"/solicitudes/{need.pk}/estado/", {"action": "review"})
    client.post(f"/solicitudes/{need.pk}/mensajes/", {"body": "Lo revisamos esta semana."})
    need.refresh_from_db()
    assert need.status == Status.IN_REVIEW
    assert NeedMessage.objects.get(need=need).body == "Lo revisamos esta semana."


def test_an_illegal_move_from_the_page_explains_why(client_as, alice):
    need = NeedFactory()
    response = client_as(alice).post(f"/solicitudes/{need.pk}/estado/", {"action": "review"}, follow=True)
    assert "Solo la coordinación DNP puede «pasar a revisión»" in response.content.decode()
    need.refresh_from_db()
    assert need.status == Status.FILED


def test_another_municipality_gets_404_on_every_page_of_a_need(client_as, amy):
    need = NeedFactory()
    client = client_as(amy)
    for url in (f"/solicitudes/{need.pk}/", f"/solicitudes/{need.pk}/editar/"):
        assert client.get(url).status_code == 404
    for url, data in ((f"/solicitudes/{need.pk}/estado/", {"action": "close"}),
                      (f"/solicitudes/{need.pk}/mensajes/", {"body": "hola"})):
        assert client.post(url, data).status_code == 404
    assert not NeedMessage.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 403), ("dora", 403), ("nina", 403), ("carla", 200), ("adam", 200),
])
def test_only_coordinators_open_the_inbox_summary_and_export(request, client_as, persona, status):
    client = client_as(request.getfixturevalue(persona))
    for name in ("demand:inbox", "demand:summary", "demand:export"):
        assert client.get(reverse(name)).status_code == status


def test_the_inbox_filters_and_counts(client_as, carla):
    NeedFactory(topic="Agua Fusa", priority="alta")
    NeedFactory(topic="Agua Fusa revisión", status=Status.IN_REVIEW)
    NeedFactory(topic="Salud Medellín", organization=org("05001"))
    NeedFactory(topic="Borrador ajeno", status=Status.DRAFT, submitted_at=None)
    client = client_as(carla)
    html = client.get("/solicitudes/bandeja/?department=25").content.decode()
    assert "Agua Fusa" in html and "Salud Medellín" not in html and "Borrador ajeno" not in html
    assert "2 solicitudes con estos filtros." in html
    query = "?department=25&municipality_name=fusagasuga&status=radicada"
    html = client.get("/solicitudes/bandeja/" + query).content.decode()
    assert "Agua Fusa</a>" in html and "Agua Fusa revisión" not in html


@pytest.mark.parametrize(("url", "queries"), [
    # session, user, the user's organisation (menu), counts per status (which also give the total),
    # departments and sectors for the filter selects, the page's ids, then those needs with
    # organisation, territory, sector and service joined, the unread notices (menu)
    ("/solicitudes/bandeja/", 9),
    # the same, plus the chosen department looked up once to validate the filter
    ("/solicitudes/bandeja/?department=05&priority=media&age=7", 10),
])
def test_the_inbox_runs_a_constant_number_of_queries(client_as, carla, django_assert_num_queries, url, queries):
    client = client_as(carla)
    NeedFactory(organization=org("05001"), submitted_at=timezone.now() - timedelta(days=8))
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    NeedFactory.create_batch(30, organization=org("05001"), submitted_at=timezone.now() - timedelta(days=8))
    with django_assert_num_queries(queries):
        assert "31 solicitudes" in client.get(url).content.decode()


def test_the_export_neutralises_formulas_in_csv_and_xlsx(client_as, carla):
    NeedFactory(topic="=HYPERLINK(\"http://x\")")
    client = client_as(carla)
    response = client.get("/solicitudes/bandeja/exportar/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Número", "Estado", "Departamento"]
    assert rows[1][6] == "'=HYPERLINK(\"http://x\")"
    response = client.get("/solicitudes/bandeja/exportar/?format=xlsx&department=25")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=7).value == "'=HYPERLINK(\"http://x\")"
    assert sheet.max_row == 2


def test_the_summary_counts_by_department_and_sector(client_as, carla):
    NeedFactory.create_batch(2)
    NeedFactory(organization=org("05001"))
    html = client_as(carla).get("/solicitudes/resumen/").content.decode()
    assert "3 solicitudes radicadas." in html
    assert "Cundinamarca" in html and "Antioquia" in html and "width:100%" in html


def test_the_municipality_page_shows_counts_to_the_public_and_needs_to_those_allowed(client, client_as, dora):
    NeedFactory(topic="Acueducto veredal")
    NeedFactory(status=Status.DRAFT, submitted_at=None, topic="Borrador")
    html = client.get("/territorio/municipios/25290/").content.decode()
    assert "Solicitudes de asistencia técnica" in html and "Radicada" in html
    assert "Acueducto veredal" not in html
    html = client_as(dora).get("/territorio/municipios/25290/").content.decode()
    assert "Acueducto veredal" in html and "Borrador" not in html


def test_the_filing_form_carries_a_catalogue_service(client_as, alice, nina):
    from apps.offer.models import Service

    service = Service.objects.create(
        organization=nina.organization, name="Formulación de proyectos de agua", summary="Acompañamiento.",
        assistance_type="acompanamiento", modality="virtual", contact_email="agua@minvivienda.gov.co",
        status=Service.Status.PUBLISHED,
    )
    client = client_as(alice)
    html = client.get(f"/solicitudes/nueva/?servicio={service.pk}").content.decode()
    assert "Formulación de proyectos de agua" in html
    client.post("/solicitudes/nueva/", {**FORM, "service": service.pk, "submit": "1"})
    assert Need.objects.get().service == service


def test_mis_solicitudes_runs_a_constant_number_of_queries(client_as, alice, django_assert_num_queries):
    client = client_as(alice)
    NeedFactory()
    # session, user, the user's organisation (scope and menu), count, the page's ids, those needs,
    # the unread notices (menu)
    with django_assert_num_queries(7):
        client.get("/solicitudes/")
    NeedFactory.create_batch(20)
    with django_assert_num_queries(7):
        assert client.get("/solicitudes/").status_code == 200


def test_the_detail_runs_a_constant_number_of_queries(client_as, alice, carla, django_assert_num_queries):
    from apps.demand import services

    need = NeedFactory()
    services.need_message_add(user=carla, need=need, body="Primero")
    services.need_transition(user=carla, need=need, action="review")
    client = client_as(alice)
    # session, user, organisation, the need (with its relations), messages with authors and
    # their organisations, events with actors and theirs, the unread notices (menu), the need's
    # agenda events, other territories' practices («¿Quién resolvió esto antes?»)
    with django_assert_num_queries(9):
        client.get(f"/solicitudes/{need.pk}/")
    for i in range(10):
        services.need_message_add(user=carla if i % 2 else alice, need=need, body=f"Mensaje {i}")
    EventFactory().needs.add(need)  # a need is scheduled only with an event of the agenda
    services.need_transition(user=carla, need=need, action="schedule")
    with django_assert_num_queries(9):
        assert "Mensaje 9" in client.get(f"/solicitudes/{need.pk}/").content.decode()


def test_the_department_page_shows_its_counts_by_status(client):
    NeedFactory.create_batch(2)
    NeedFactory(organization=org("25"), municipality_id=None, status=Status.IN_REVIEW)
    NeedFactory(organization=org("05001"))
    html = client.get("/territorio/departamentos/25/").content.decode()
    assert "3 solicitudes radicadas en el departamento." in html
    assert "En revisión" in html


def test_guardar_borrador_saves_a_need_with_only_its_topic(client_as, alice):
    response = client_as(alice).post("/solicitudes/nueva/", {"topic": "Acueducto veredal", "draft": "1"})
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/solicitudes/{need.pk}/"
    assert (need.status, need.topic, need.sector, need.problem) == (Status.DRAFT, "Acueducto veredal", None, "")
    assert "Acueducto veredal" in client_as(alice).get(response["Location"]).content.decode()


def test_radicar_asks_for_each_missing_field_on_that_field(client_as, alice):
    response = client_as(alice).post("/solicitudes/nueva/", {"topic": "Acueducto veredal", "submit": "1"})
    form = response.context["form"]
    assert response.status_code == 200 and not Need.objects.exists()
    missing = "Complete este dato para radicar la solicitud."
    assert {name: form.errors[name] for name in ("sector", "capacity", "problem", "expected_result")} == {
        name: [missing] for name in ("sector", "capacity", "problem", "expected_result")}
    assert "topic" not in form.errors


def test_a_partial_draft_is_completed_on_its_edit_page_then_radicada(client_as, alice):
    client = client_as(alice)
    client.post("/solicitudes/nueva/", {"topic": "Acueducto veredal", "draft": "1"})
    need = Need.objects.get()
    response = client.post(f"/solicitudes/{need.pk}/editar/", {"topic": "Acueducto veredal", "save": "1"})
    assert response.status_code == 302
    response = client.post(f"/solicitudes/{need.pk}/editar/", {"topic": "Acueducto veredal", "submit": "1"})
    assert "Complete este dato para radicar la solicitud." in response.content.decode()
    need.refresh_from_db()
    assert need.status == Status.DRAFT
    client.post(f"/solicitudes/{need.pk}/editar/", {**FORM, "topic": "Acueducto veredal", "submit": "1"})
    need.refresh_from_db()
    assert (need.status, need.sector.slug) == (Status.FILED, "salud")


def _token(html: str) -> str:
    import re

    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


def test_radicar_twice_with_the_same_form_files_one_need(client_as, alice):
    client = client_as(alice)
    token = _token(client.get("/solicitudes/nueva/").content.decode())
    assert token != _token(client.get("/solicitudes/nueva/").content.decode())  # one per rendered form
    first = client.post("/solicitudes/nueva/", {**FORM, "submission_key": token, "submit": "1"})
    again = client.post("/solicitudes/nueva/", {**FORM, "submission_key": token, "submit": "1"}, follow=True)
    need = Need.objects.get()
    assert first["Location"] == f"/solicitudes/{need.pk}/" and again.redirect_chain[-1][0] == first["Location"]
    assert "Esta solicitud ya se había enviado; no se creó otra." in again.content.decode()
    assert need.events.count() == 1
    client.post("/solicitudes/nueva/", {**FORM, "topic": "Otro tema", "submit": "1",
                                        "submission_key": _token(client.get("/solicitudes/nueva/").content.decode())})
    assert Need.objects.count() == 2  # a new form is a new need


def test_a_departments_batch_is_filed_once_under_one_token(client_as, dora):
    client = client_as(dora)
    token = _token(client.get("/solicitudes/nueva/").content.decode())
    data = {**FORM, **_pickers("Fusagasuga", "agua de dios"), "submission_key": token, "submit": "1"}
    assert client.post("/solicitudes/nueva/", data)["Location"] == "/solicitudes/"
    assert client.post("/solicitudes/nueva/", data)["Location"] == "/solicitudes/"
    assert sorted(Need.objects.values_list("municipality_id", flat=True)) == ["25001", "25290"]


def test_back_and_radicar_again_on_the_edit_page_changes_nothing(client_as, alice):
    need = NeedFactory(status=Status.DRAFT, submitted_at=None)
    client = client_as(alice)
    client.post(f"/solicitudes/{need.pk}/editar/", {**FORM, "submit": "1"})
    response = client.post(f"/solicitudes/{need.pk}/editar/", {**FORM, "topic": "Otro", "submit": "1"}, follow=True)
    assert response.redirect_chain == [(f"/solicitudes/{need.pk}/", 302)]
    assert "Esta solicitud ya se había radicado" in response.content.decode()
    need.refresh_from_db()
    assert (need.status, need.topic, need.events.count()) == (Status.FILED, FORM["topic"], 1)


def test_a_message_posted_twice_with_its_form_token_is_written_once(client_as, alice, carla):
    need = NeedFactory()
    client = client_as(alice)
    token = _token(client.get(f"/solicitudes/{need.pk}/").content.decode())
    client.post(f"/solicitudes/{need.pk}/mensajes/", {"body": "¿Ya lo revisaron?", "submission_key": token})
    response = client.post(f"/solicitudes/{need.pk}/mensajes/", {"body": "¿Ya lo revisaron?",
                                                                 "submission_key": token}, follow=True)
    assert "Ese mensaje ya se había enviado" in response.content.decode()
    assert NeedMessage.objects.filter(need=need).count() == 1
    # the same words from a fresh form are a new message
    token = _token(client.get(f"/solicitudes/{need.pk}/").content.decode())
    client.post(f"/solicitudes/{need.pk}/mensajes/", {"body": "¿Ya lo revisaron?", "submission_key": token})
    assert NeedMessage.objects.filter(need=need).count() == 2


@pytest.mark.parametrize("param", ["servicio", "service"])
def test_solicitar_este_servicio_prefills_the_service_its_first_sector_and_topic(client_as, alice, param):
    from apps.territory.models import Sector
    from tests.offer.factories import ServiceFactory

    service = ServiceFactory(name="Formulación de proyectos de acueducto", sectors=["salud", "agua-potable"])
    form = client_as(alice).get(f"/solicitudes/nueva/?{param}={service.pk}").context["form"]
    first = Sector.objects.filter(slug__in=["salud", "agua-potable"]).order_by("name").first()
    assert (form["service"].value(), form["sector"].value(), form["topic"].value()) == (
        service.pk, first.pk, "Formulación de proyectos de acueducto")


def test_an_unpublished_or_unknown_service_prefills_nothing(client_as, alice):
    from tests.offer.factories import ServiceFactory

    draft = ServiceFactory(status="borrador")
    client = client_as(alice)
    for query in (f"?servicio={draft.pk}", "?servicio=999999", "?servicio=abc"):
        form = client.get(f"/solicitudes/nueva/{query}").context["form"]
        assert (form["service"].value(), form["sector"].value(), form["topic"].value()) == (None, None, None)


@pytest.mark.parametrize("field", ["topic", "problem", "sector", "window_start"])
def test_a_nul_character_in_a_posted_field_gets_a_spanish_answer(client_as, alice, field):
    response = client_as(alice).post("/solicitudes/nueva/", {**FORM, field: FORM[field] + "\x00", "submit": "1"})
    assert response.status_code == 400
    assert "caracteres de control" in response.content.decode()
    assert not Need.objects.exists()


def test_a_nul_character_in_a_message_gets_a_spanish_answer(client_as, alice):
    need = NeedFactory()
    response = client_as(alice).post(f"/solicitudes/{need.pk}/mensajes/", {"body": "Hola\x00"})
    assert response.status_code == 400 and "caracteres de control" in response.content.decode()
    assert not NeedMessage.objects.exists()


def test_another_organisations_need_in_the_edit_and_message_urls_is_404(client_as, bob, dora):
    draft = NeedFactory(status=Status.DRAFT, submitted_at=None, topic="Borrador de Fusagasugá")
    filed = NeedFactory()
    client = client_as(bob)
    assert client.get(f"/solicitudes/{draft.pk}/editar/").status_code == 404
    assert client.post(f"/solicitudes/{draft.pk}/editar/", {**FORM, "submit": "1"}).status_code == 404
    assert client.post(f"/solicitudes/{filed.pk}/editar/", {**FORM, "submit": "1"}).status_code == 404
    assert client.post(f"/solicitudes/{filed.pk}/mensajes/", {"body": "hola"}).status_code == 404
    # the department sees its municipalities' filed needs, never their drafts
    client = client_as(dora)
    assert client.post(f"/solicitudes/{draft.pk}/editar/", {**FORM, "submit": "1"}).status_code == 404
    assert client.post(f"/solicitudes/{draft.pk}/mensajes/", {"body": "hola"}).status_code == 404
    draft.refresh_from_db()
    assert (draft.status, draft.topic) == (Status.DRAFT, "Borrador de Fusagasugá")
    assert not NeedMessage.objects.exists()


def test_the_same_content_sent_again_from_a_fresh_form_is_not_filed_twice(client_as, alice):
    """Back after *Radicar*: a browser that fetches the form anew gives it a new token but puts
    back what the person typed; the same content within half an hour is the same need."""
    client = client_as(alice)

    def send(**changes):
        token = _token(client.get("/solicitudes/nueva/").content.decode())
        return client.post("/solicitudes/nueva/", {**FORM, **changes, "submission_key": token, "submit": "1"})

    first = send()
    assert send()["Location"] == first["Location"]
    assert Need.objects.count() == 1
    send(topic="Plan de salud, segunda parte")
    assert Need.objects.count() == 2
    Need.objects.update(created_at=timezone.now() - timedelta(minutes=31))
    send()
    assert Need.objects.count() == 3
