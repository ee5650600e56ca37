"""Territories help each other: Agua de Dios shares its aqueduct practice in the browser; Fusagasugá
finds it from its own aqueduct need («¿Quién resolvió esto antes?») and by the knowledge search."""

import os
import re

import pytest

from tests.e2e.test_accessibility import axe  # noqa: F401 - the axe-core fixture

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    """Screenshots for a person to look at (phone and desktop), when E2E_SCREENSHOTS names a folder."""
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_municipality_finds_another_territorys_practice_from_its_need_and_by_search(page, login):
    from apps.knowledge.models import Practice
    from tests.demand.factories import NeedFactory
    from tests.factories import UserFactory, org

    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"), full_name="Alicia Fusa")
    amy = UserFactory(email="amy@aguadedios.gov.co", organization=org("25001"), full_name="Amy Agua")
    need = NeedFactory(topic="Acueducto veredal de Bermejal")

    # Agua de Dios shares what it did, from the short form, on a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    login(amy)
    page.goto("/conocimiento/practicas/nueva/")
    page.get_by_label("Buena práctica").check()
    page.get_by_label("Título").fill("Acueducto veredal formulado con las juntas")
    page.get_by_label("¿Qué se hizo?").fill("Formulamos el acueducto veredal con las JAC y lo llevamos al OCAD.")
    page.get_by_label("¿Qué resultado dio?").fill("420 familias con agua potable.")
    page.get_by_label("Sector").select_option(label="Agua Potable y Saneamiento Básico")
    page.get_by_label("Temas").fill("acueducto, regalías")
    assert _no_horizontal_overflow(page)
    _shot(page, "practice-form-375")
    page.get_by_role("button", name="Compartir").click()
    page.wait_for_url(re.compile(r"/conocimiento/practicas/\d+/$"))
    practice = Practice.objects.get()
    assert practice.municipality_id == "25001"
    page.get_by_role("button", name="Salir").click()

    # Fusagasugá opens its need: the practice is there, nearest first, with why.
    login(alice)
    page.goto(need.get_absolute_url())
    panel = page.locator("#quien-resolvio")
    assert panel.get_by_role("heading", name="¿Quién resolvió esto antes?").is_visible()
    assert panel.get_by_role("link", name="Acueducto veredal formulado con las juntas").is_visible()
    assert "Mismo departamento: Cundinamarca" in panel.inner_text()
    assert _no_horizontal_overflow(page)
    _shot(page, "need-who-solved-375")
    panel.get_by_role("link", name="Acueducto veredal formulado con las juntas").click()
    page.wait_for_url(f"**{practice.get_absolute_url()}")
    assert "420 familias con agua potable." in page.inner_text("main")

    # And by the one search, from the menu, on a desktop.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.get_by_role("link", name="Conocimiento").first.click()
    page.get_by_label("Buscar").fill("acueductos veredales")
    page.get_by_role("button", name="Buscar").click()
    hit = page.locator("#results article").filter(has_text="Acueducto veredal formulado con las juntas")
    assert hit.count() == 1
    assert hit.locator("mark").count() >= 1
    _shot(page, "search-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    assert _no_horizontal_overflow(page)
    _shot(page, "search-375")


def test_the_knowledge_pages_have_no_wcag_aa_violations(page, login, axe):  # noqa: F811
    from tests.e2e.test_accessibility import _violations
    from tests.factories import UserFactory, org
    from tests.knowledge.practice_factories import GuidelineFactory, PracticeFactory

    practice = PracticeFactory()
    guideline = GuidelineFactory(versions=0)
    login(UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290")))
    found = {}
    for path in ["/conocimiento/buscar/?q=acueducto", "/conocimiento/practicas/", practice.get_absolute_url(),
                 "/conocimiento/quien-resolvio/?q=acueducto", "/conocimiento/practicas/nueva/",
                 "/conocimiento/orientaciones/", guideline.get_absolute_url()]:
        page.goto(path)
        if violations := _violations(page, axe):
            found[path] = violations
    assert found == {}


def test_the_search_shows_its_first_result_on_a_phones_first_screen(page):
    from apps.knowledge.models import Practice
    from apps.territory.models import Municipality

    Practice.objects.create(title="Acueducto veredal formulado con las juntas", what="Formulamos el acueducto.",
                            result="420 familias con agua.", municipality=Municipality.objects.get(code="25001"))
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/conocimiento/buscar/?q=acueducto")
    hit = page.locator("#results article").first
    assert hit.bounding_box()["y"] + 40 < 740  # its title is seen without scrolling
    assert not page.get_by_label("Sector").is_visible()  # folded, one tap away
    page.get_by_text("Filtrar por sector o departamento").click()
    assert page.get_by_label("Sector").is_visible()
    assert _no_horizontal_overflow(page)
    page.goto("/conocimiento/buscar/?q=acueducto&departamento=25")
    assert page.get_by_label("Departamento").is_visible()  # a filter in use stays in sight
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/conocimiento/buscar/?q=acueducto")
    assert page.get_by_label("Sector").is_visible()  # open on a wide screen


def test_the_practices_list_shows_a_practice_on_a_phones_first_screen(page, login):
    from apps.knowledge.models import Practice
    from apps.territory.models import Municipality
    from tests.factories import UserFactory, org

    Practice.objects.create(title="Acueducto veredal formulado con las juntas", what="Formulamos el acueducto.",
                            result="420 familias con agua.", municipality=Municipality.objects.get(code="25001"))
    page.set_viewport_size({"width": 375, "height": 740})
    login(UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290")))
    page.goto("/conocimiento/practicas/")
    title = page.get_by_role("link", name="Acueducto veredal formulado con las juntas")
    assert title.bounding_box()["y"] + 30 < 740  # seen without scrolling, below the folded filters
    assert not page.get_by_label("Capacidad").is_visible()
    page.get_by_text("Filtrar por tipo, sector, capacidad o departamento").click()
    page.get_by_label("Capacidad").select_option(index=1)
    page.get_by_role("button", name="Filtrar").click()
    assert page.get_by_label("Capacidad").is_visible()  # the filter in use stays in sight
    assert _no_horizontal_overflow(page)


def test_the_guidelines_list_shows_a_guideline_on_a_phones_first_screen(page):
    from apps.knowledge.models import Guideline
    from tests.factories import org

    Guideline.objects.create(title="Guía para formular proyectos de acueducto", organization=org("MinVivienda"))
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/conocimiento/orientaciones/")
    title = page.get_by_role("link", name="Guía para formular proyectos de acueducto")
    assert title.bounding_box()["y"] + 30 < 740  # seen without scrolling, below the folded filters
    assert not page.get_by_label("Categoría municipal").is_visible()
    page.get_by_text("Filtrar por tipo, sector, capacidad o categoría").click()
    assert page.get_by_label("Categoría municipal").is_visible()
    assert _no_horizontal_overflow(page)
