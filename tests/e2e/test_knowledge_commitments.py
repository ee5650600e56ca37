"""Commitments in a real browser, on a phone: the provider of a realised jornada records a
commitment for the municipality (a missing responsible is refused on the field, nothing lost); the
municipality finds it in «Mis compromisos», records its progress (an empty note is refused in
Spanish) and updates it from a spreadsheet with a preview; the pages scroll only vertically at
375 px and pass the WCAG 2.1 AA scan."""

import io

import pytest

from tests.e2e.test_accessibility import _violations, axe  # noqa: F401 - the axe-core fixture

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_jornadas_commitment_is_recorded_followed_and_updated_from_a_spreadsheet(page, login, axe):  # noqa: F811
    from openpyxl import Workbook

    from apps.agenda.models import Status
    from apps.knowledge.models import Commitment
    from tests.agenda.factories import EventFactory
    from tests.factories import UserFactory, org

    nina = UserFactory(email="nina@minvivienda.gov.co", organization=org("MinVivienda"))
    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    event = EventFactory(status=Status.DONE, title="Mesa técnica de acueducto en Fusagasugá")
    found = {}

    def check(label: str) -> None:
        assert _no_horizontal_scroll(page), label
        if violations := _violations(page, axe):
            found[label] = violations

    page.set_viewport_size(PHONE)
    login(nina)
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Compromisos de la jornada").click()
    page.locator("#id_text").fill("Enviar la ficha del proyecto de acueducto veredal")
    page.get_by_label("Fecha límite").fill("2027-06-30")
    # A browser that does not check `required` (the server is the one that must refuse):
    page.evaluate("document.getElementById('id_responsible').removeAttribute('required')")
    page.get_by_role("button", name="Registrar el compromiso").click()
    assert page.get_by_role("alert").is_visible()  # refused on the field
    assert page.locator("#id_text").input_value().startswith("Enviar la ficha")
    check("jornada form with errors")
    page.get_by_label("Responsable").select_option(label=org("25290").name)
    page.get_by_role("button", name="Registrar el compromiso").click()
    page.locator("#commitments-table").wait_for()
    commitment = Commitment.objects.get()
    assert (commitment.event_id, commitment.municipality_id) == (event.pk, "25290")
    check("jornada commitments")

    page.context.clear_cookies()
    login(alice)
    page.goto("/conocimiento/compromisos/mios/")
    check("mis compromisos")
    page.get_by_role("link", name="Enviar la ficha del proyecto de acueducto veredal").click()
    page.get_by_label("Estado").select_option("en_curso")
    page.get_by_role("button", name="Guardar").click()  # the browser asks for the note first
    assert Commitment.objects.get().status == "pendiente"
    page.get_by_label("Nota (qué se hizo, o por qué cambia)").fill("La Secretaría de Planeación tiene el borrador.")
    page.get_by_role("button", name="Guardar").click()
    page.locator("#avance").get_by_text("La Secretaría de Planeación tiene el borrador.").wait_for()
    assert Commitment.objects.get().status == "en_curso"
    check("commitment page")

    book = Workbook()
    book.active.append(["id", "estado", "nota"])
    book.active.append([commitment.pk, "cumplido", "Ficha enviada al ministerio."])
    content = io.BytesIO()
    book.save(content)
    page.goto("/conocimiento/compromisos/importar/")
    page.get_by_label("Archivo (XLSX o CSV)").set_input_files(
        files=[{"name": "avance.xlsx", "mimeType": "application/octet-stream", "buffer": content.getvalue()}])
    page.get_by_role("button", name="Ver vista previa").click()
    page.locator("#import-preview").wait_for()
    check("import preview")
    page.get_by_role("button", name="Registrar 1 avance").click()
    page.wait_for_url("**/conocimiento/compromisos/mios/")
    assert Commitment.objects.get().status == "cumplido"
    page.goto("/conocimiento/compromisos/")
    check("commitments list")
    assert found == {}
