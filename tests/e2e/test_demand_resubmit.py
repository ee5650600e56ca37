"""Back and *Radicar* again, and a double click on *Radicar*, file one need (the form's token)."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _fill(page):
    page.get_by_label("Sector").select_option(label="Agua Potable y Saneamiento Básico")
    page.get_by_label("Tema, en pocas palabras").fill("Acueducto de la vereda La Aguadita")
    page.get_by_label("Planeación").check()
    page.get_by_label("¿Qué problema tienen?").fill("No sabemos formular el proyecto del acueducto.")
    page.get_by_label("¿Qué esperan lograr con la asistencia?").fill("El proyecto formulado.")


def test_back_and_radicar_again_files_one_need(page, login):
    from apps.demand.models import Need
    from tests.factories import UserFactory, org

    login(UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290")))
    page.goto("/solicitudes/nueva/")
    _fill(page)
    page.get_by_role("button", name="Radicar", exact=True).click()
    page.wait_for_url(re.compile(r"/solicitudes/\d+/$"))
    first = page.url
    page.go_back()
    page.wait_for_url("**/solicitudes/nueva/")
    if not page.get_by_label("Tema, en pocas palabras").input_value():
        _fill(page)  # a browser that reloads the page on Back shows it empty; the person fills it again
    page.get_by_role("button", name="Radicar", exact=True).click()
    page.wait_for_url(re.compile(r"/solicitudes/\d+/$"))
    assert page.url == first
    assert Need.objects.count() == 1
    assert "ya se había enviado" in page.content()


def test_a_double_click_on_radicar_files_one_need(page, login):
    from apps.demand.models import Need
    from tests.factories import UserFactory, org

    login(UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290")))
    page.goto("/solicitudes/nueva/")
    _fill(page)
    page.get_by_role("button", name="Radicar", exact=True).dblclick()
    page.wait_for_url(re.compile(r"/solicitudes/\d+/$"))
    page.wait_for_load_state("networkidle")
    assert Need.objects.count() == 1
