"""A municipality files a need in the browser; a coordinator reviews it and writes; the
municipality sees both and gets the e-mail; another municipality gets 404."""

import re

import pytest
from django.core import mail

from tests.e2e.test_accessibility import axe  # noqa: F401 - the axe-core fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def celery_eager():
    """The live server sends the e-mails in-process, also in CI's Redis pass."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _logout(page):
    page.get_by_role("button", name="Salir").click()


def test_a_need_goes_from_the_municipality_to_the_coordinator_and_back(page, login):
    from apps.accounts.models import User
    from apps.core.models import Notification
    from apps.demand.models import Need, Status
    from tests.factories import UserFactory, org

    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"), full_name="Alicia Fusa")
    carla = UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR,
                        full_name="Carla Coordinadora")
    amy = UserFactory(email="amy@aguadedios.gov.co", organization=org("25001"))

    # The municipal editor files the need from the short form.
    login(alice)
    page.goto("/solicitudes/nueva/")
    page.get_by_label("Sector").select_option(label="Agua Potable y Saneamiento Básico")
    page.get_by_label("Tema, en pocas palabras").fill("Acueducto de la vereda La Aguadita")
    page.get_by_label("Planeación").check()
    page.get_by_label("¿Qué problema tienen?").fill("No sabemos formular el proyecto del acueducto.")
    page.get_by_label("¿Qué esperan lograr con la asistencia?").fill("El proyecto formulado.")
    page.get_by_label("Alta").check()
    page.get_by_label("Virtual").check()
    page.get_by_label("¿Cuántos funcionarios participarían?").fill("3")
    page.get_by_role("button", name="Radicar", exact=True).click()
    page.wait_for_url(re.compile(r"/solicitudes/\d+/$"))
    assert page.locator("#need-status").inner_text() == "Radicada"
    need = Need.objects.get()
    _logout(page)

    # The coordinator finds it in the inbox, moves it to review and writes a message.
    login(carla)
    page.goto("/solicitudes/bandeja/")
    page.get_by_label("Departamento").select_option(label="Cundinamarca")
    page.get_by_role("button", name="Filtrar").click()
    page.get_by_role("link", name="Acueducto de la vereda La Aguadita").click()
    page.get_by_role("button", name="Pasar a revisión").click()
    assert page.locator("#need-status").inner_text() == "En revisión"
    page.get_by_label("Escriba un mensaje").fill("¿Qué fechas de marzo les sirven?")
    page.get_by_role("button", name="Enviar mensaje").click()
    page.get_by_text("Mensaje enviado.").wait_for()
    _logout(page)

    # The municipality sees the new status and the message, and got both e-mails.
    login(alice)
    page.goto("/solicitudes/")
    page.get_by_role("link", name="Acueducto de la vereda La Aguadita").click()
    assert page.locator("#need-status").inner_text() == "En revisión"
    assert page.get_by_text("¿Qué fechas de marzo les sirven?").is_visible()
    # The platform outbox (apps.core.outbox) keys each notice by the need it is about.
    notices = Notification.objects.filter(recipient=alice, key__startswith=f"demand:need:{need.pk}:")
    assert sorted(notices.values_list("kind", flat=True)) == ["demand.message", "demand.status"]
    assert not notices.filter(sent_at__isnull=True).exists()
    to_alice = [m for m in mail.outbox if m.to == [alice.email]]
    assert len(to_alice) == 2
    assert any("en revisión" in m.subject for m in to_alice)
    page.goto("/solicitudes/avisos/")
    assert page.get_by_text("ahora está en revisión").is_visible()
    need.refresh_from_db()
    assert need.status == Status.IN_REVIEW
    _logout(page)

    # Another municipality's editor gets 404 through the page and the API.
    login(amy)
    assert page.goto(f"/solicitudes/{need.pk}/").status == 404
    assert page.request.get(f"/api/v1/requests/{need.pk}/").status == 404
    assert page.request.get("/api/v1/requests/").json()["count"] == 0


def test_the_demand_pages_have_no_wcag_aa_violations(page, login, axe):  # noqa: F811
    from apps.accounts.models import User
    from tests.demand.factories import NeedFactory
    from tests.e2e.test_accessibility import _violations
    from tests.factories import UserFactory, org

    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    need = NeedFactory(organization=org("25290"))
    found = {}

    def scan(paths):
        for path in paths:
            page.goto(path)
            if violations := _violations(page, axe):
                found[path] = violations

    login(alice)
    scan(["/solicitudes/", "/solicitudes/nueva/", f"/solicitudes/{need.pk}/", "/solicitudes/avisos/",
          "/territorio/municipios/25290/", "/territorio/departamentos/25/"])
    _logout(page)
    login(UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR))
    scan(["/solicitudes/bandeja/", "/solicitudes/resumen/", f"/solicitudes/{need.pk}/"])
    _logout(page)
    login(UserFactory(email="dora@cundinamarca.gov.co", organization=org("25")))
    scan(["/solicitudes/nueva/"])
    assert found == {}


def test_a_department_files_for_a_municipality_it_picks_by_typing(page, login):
    from apps.demand.models import Need
    from tests.factories import UserFactory, org

    login(UserFactory(email="dora@cundinamarca.gov.co", organization=org("25")))
    page.goto("/solicitudes/nueva/")
    page.get_by_label("Sector").select_option(label="Planeación")
    page.get_by_label("Tema, en pocas palabras").fill("Plan de ordenamiento territorial")
    page.get_by_label("Gestión", exact=True).check()
    page.get_by_label("¿Qué problema tienen?").fill("El POT está vencido.")
    page.get_by_label("¿Qué esperan lograr con la asistencia?").fill("La revisión del POT en marcha.")
    page.get_by_label("Media").check()
    page.get_by_label("Presencial").check()
    page.get_by_text("¿Es para uno o varios municipios del departamento?").click()
    page.get_by_label("Municipio 1").press_sequentially("fusa")
    # htmx fills the datalist with the department's matches as one types.
    page.locator('#municipality-options-picker-0 option[value="Fusagasugá"]').wait_for(state="attached")
    page.get_by_label("Municipio 1").fill("Fusagasugá")
    page.get_by_role("button", name="Radicar", exact=True).click()
    page.wait_for_url(re.compile(r"/solicitudes/\d+/$"))
    need = Need.objects.get()
    assert (need.organization.kind, need.municipality_id) == ("department", "25290")
    assert "a nombre del municipio" in page.content()
