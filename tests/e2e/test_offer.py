"""A national-entity editor publishes a service in the browser; a municipal editor finds it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import _violations, axe  # noqa: F401 - the axe fixture skips without axe-core

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_entity_editor_publishes_and_a_municipality_finds_it(page, login):
    from apps.offer.models import Service
    from tests.factories import UserFactory, org
    from tests.offer.factories import ServiceFactory

    nina = UserFactory(email="nina@minvivienda.gov.co", organization=org("MinVivienda"))
    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    ServiceFactory(name="Formalización minera", organization=org("ANM"), modality="mixta")

    login(nina)
    page.get_by_role("link", name="Oferta").first.click()
    page.get_by_role("link", name="Publicar un servicio").first.click()
    page.get_by_role("button", name="Guardar borrador").click()
    # Each error sits by its field and is listed, linked, in the summary at the top.
    expect(page.get_by_text("Escriba el nombre del servicio.", exact=True)).to_be_visible()
    expect(page.get_by_text("Elija al menos un sector.", exact=True)).to_be_visible()
    page.get_by_role("link", name="Nombre del servicio: Escriba el nombre del servicio.").click()
    expect(page.get_by_label("Nombre del servicio")).to_be_focused()

    page.get_by_label("Nombre del servicio").fill("Acueductos veredales sostenibles")
    page.get_by_label("Resumen").fill("Acompañamos a las alcaldías a estructurar acueductos veredales.")
    page.get_by_label("Agua Potable y Saneamiento Básico").check()
    page.get_by_label("Técnica", exact=True).check()
    page.get_by_label("Tipo de asistencia").select_option(label="Estructuración de proyectos")
    page.get_by_label("Modalidad").select_option(label="Mixta")
    page.get_by_label("Municipios", exact=True).check()
    page.get_by_label("Disponible en todo el país").uncheck()
    page.get_by_label("Cundinamarca").check()
    page.get_by_label("Correo de contacto").fill("acueductos@minvivienda.gov.co")
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Servicio guardado como borrador")).to_be_visible()
    page.get_by_role("button", name="Publicar").click()
    expect(page.get_by_text("Servicio publicado")).to_be_visible()
    assert Service.objects.get(name="Acueductos veredales sostenibles").status == Service.Status.PUBLISHED
    page.get_by_role("button", name="Salir").click()

    login(alice)
    page.get_by_role("link", name="Oferta").first.click()
    page.get_by_label("Buscar").fill("acueducto")
    page.get_by_label("Buscar").press("Enter")
    expect(page.locator("#result-count")).to_contain_text("1 servicio")
    page.get_by_role("link", name=re.compile(r"^Mixta")).click()
    page.get_by_role("link", name=re.compile(r"^Cundinamarca")).click()
    expect(page).to_have_url(re.compile(r"department=25"))
    page.get_by_role("link", name="Acueductos veredales sostenibles").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acueductos veredales sostenibles")
    expect(page.get_by_text("acueductos@minvivienda.gov.co")).to_be_visible()
    expect(page.get_by_role("link", name="Editar")).to_have_count(0)


def test_the_offer_pages_have_no_wcag_aa_violations(page, login, axe):  # noqa: F811
    from tests.factories import UserFactory, org
    from tests.offer.factories import ServiceFactory

    service = ServiceFactory(name="Catastro multipropósito", links="Guía | https://www.dnp.gov.co/")
    found = {}
    for path in ("/oferta/", "/oferta/?modality=virtual&q=catastro", f"/oferta/{service.pk}/"):
        page.goto(path)
        if violations := _violations(page, axe):
            found[path] = violations
    login(UserFactory(email="nina@minvivienda.gov.co", organization=org("MinVivienda")))
    for path in ("/oferta/nuevo/", "/oferta/mis-servicios/", "/oferta/importar/", f"/oferta/{service.pk}/"):
        page.goto(path)
        if violations := _violations(page, axe):
            found[path] = violations
    assert found == {}
