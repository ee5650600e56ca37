"""The site on a phone (375 px wide) and under its Content-Security-Policy, in Chromium."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.test_accessibility import _violations, axe  # noqa: F401 - the axe fixture skips without axe-core

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
SAMPLES = Path(settings.BASE_DIR) / "data" / "samples"


@pytest.fixture
def csp_violations(page):
    """Every CSP violation the browser reports while the test runs."""
    found = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def test_swagger_ui_works_under_the_csp(page, csp_violations):
    page.goto("/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 10
    assert csp_violations == []


def test_the_municipality_picker_works_under_the_csp(page, csp_violations):
    page.goto("/territorio/departamentos/")
    page.get_by_label("Buscar un municipio").fill("fusag")
    page.get_by_role("link", name="Fusagasugá").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fusagasugá"
    assert csp_violations == []


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def _fits(page) -> bool:
    """No horizontal scrolling: the page is no wider than the phone."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _cells_visible(page, label: str) -> list[dict]:
    """The bounding boxes of the cells with that data-label, each asserted visible and on screen."""
    cells = page.locator(f'td[data-label="{label}"]')
    assert cells.count() > 0
    boxes = []
    for i in range(cells.count()):
        expect(cells.nth(i)).to_be_visible()
        box = cells.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        boxes.append(box)
    return boxes


def test_the_catalogue_shows_results_before_folded_filters_on_a_phone(phone):
    from tests.offer.factories import ServiceFactory

    ServiceFactory(name="Catastro multipropósito", modality="mixta")
    phone.goto("/oferta/")
    result = phone.get_by_role("link", name="Catastro multipropósito")
    filters = phone.locator("summary", has_text="Filtrar")
    expect(result).to_be_visible()
    assert result.bounding_box()["y"] < filters.bounding_box()["y"]
    mixta = phone.get_by_role("link", name=re.compile(r"^Mixta"))
    expect(mixta).to_be_hidden()
    assert _fits(phone)
    filters.click()
    expect(mixta).to_be_visible()


def test_the_catalogue_keeps_its_filters_open_on_a_wide_screen(page):
    from tests.offer.factories import ServiceFactory

    ServiceFactory(name="Catastro multipropósito", modality="mixta")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/oferta/")
    expect(page.get_by_role("link", name=re.compile(r"^Mixta"))).to_be_visible()


def test_my_needs_are_readable_cards_with_their_status_on_a_phone(phone, login):
    from tests.demand.factories import NeedFactory
    from tests.factories import UserFactory, org

    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    NeedFactory(topic="Plan de ordenamiento territorial con enfoque de gestión del riesgo")
    NeedFactory()
    login(alice)
    phone.goto("/solicitudes/")
    _cells_visible(phone, "Estado")
    assert _fits(phone)


def test_the_inbox_is_readable_cards_with_their_status_on_a_phone(phone, login):
    from apps.accounts.models import User
    from tests.demand.factories import NeedFactory
    from tests.factories import UserFactory, org

    NeedFactory.create_batch(3)
    login(UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR))
    phone.goto("/solicitudes/bandeja/")
    _cells_visible(phone, "Estado")
    assert _fits(phone)


def test_the_entities_list_fits_a_phone(phone):
    phone.goto("/territorio/entidades/")
    _cells_visible(phone, "Sector administrativo")
    assert _fits(phone)


def test_survey_results_by_department_fit_a_phone(phone, login, settings, tmp_path):
    from apps.accounts.models import User
    from apps.surveys.definitions import load_definitions
    from apps.surveys.models import Survey
    from apps.surveys.services import survey_import_file
    from tests.factories import UserFactory, org

    settings.MEDIA_ROOT = tmp_path
    load_definitions()  # the previous browser test's flush emptied the tables
    survey_import_file(survey=Survey.objects.get(slug="municipios-2021"), path=SAMPLES / "municipios-2021.xlsx")
    login(UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR))
    phone.goto("/encuestas/municipios-2021/resultados/")
    _cells_visible(phone, "Respuestas")
    assert _fits(phone)


def test_phone_layouts_have_no_wcag_aa_violations(phone, axe):  # noqa: F811
    from tests.offer.factories import ServiceFactory

    ServiceFactory(name="Catastro multipropósito", modality="mixta")
    found = {}
    for path in ["/oferta/", "/territorio/entidades/", "/territorio/departamentos/25/", "/no-existe/"]:
        phone.goto(path)
        if violations := _violations(phone, axe):
            found[path] = violations
    assert found == {}


def test_a_card_label_that_wraps_makes_its_row_taller_instead_of_covering_the_next(page):
    """table.cards labels sat absolutely positioned: a two-line label ran over the next row."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    page.set_viewport_size(PHONE)
    page.set_content(
        f"<style>{css}</style><table class='cards'><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr>"
        "<td data-label='De territorios con solicitudes registradas'>12</td><td data-label='Valor'>3</td>"
        "</tr></tbody></table>")
    label_bottom, next_top = page.evaluate("""() => {
        const [first, second] = document.querySelectorAll('td');
        const label = parseFloat(getComputedStyle(first, '::before').height);
        return [first.getBoundingClientRect().top + label, second.getBoundingClientRect().top];
    }""")
    assert label_bottom <= next_top
