"""Workshops in a real browser: a coordinator records a workshop with a problem tree typed as
indented lines (a bad indentation is refused on the field, nothing lost) and a commitment for
MinVivienda; the workshop page shows the tree nested (direct → indirect causes) and lists the
commitment, whose page opens. The 2021 workshops and the PATT tree read well at 375 px (no
horizontal scroll) and at 1280 px, and pass the WCAG 2.1 AA scan."""

import os

import pytest

from tests.e2e.test_accessibility import _violations, axe  # noqa: F401 - the axe-core fixture

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
CAUSES_BAD = "- Baja coordinación entre entidades\n    - No se conoce la oferta\n  - Rotación del personal"
CAUSES = ("- Baja coordinación entre entidades\n  - No se conoce la oferta\n  - Rotación del personal\n"
          "- Pocos datos de seguimiento")
OBJECTIVES = "- Coordinar la asistencia\n  - Mesa mensual\n- Medir el seguimiento"


def _shot(page, name: str) -> None:
    """Full-page screenshots for people to look at, when WORKSHOP_SCREENSHOTS names a folder."""
    if folder := os.environ.get("WORKSHOP_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_coordinator_records_a_workshop_with_a_problem_tree_and_a_commitment(page, login, axe):  # noqa: F811
    from apps.accounts.models import User
    from apps.knowledge.models import Commitment, Workshop
    from apps.knowledge.reference import load_workshops
    from tests.factories import UserFactory, org

    load_workshops()  # what `make run` loads; the previous browser test's flush emptied it
    carla = UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR)
    minvivienda = org("MinVivienda")

    page.set_viewport_size(PHONE)
    login(carla)
    page.goto("/conocimiento/talleres/")
    assert page.locator("#workshops tbody tr").count() == 8
    page.get_by_role("link", name="Registrar un taller").click()
    page.get_by_label("Nombre del taller").fill("Taller de agua potable rural")
    page.get_by_label("Fecha").first.fill("2027-03-10")
    page.get_by_label("Organizadores").fill("DNP\nMinVivienda")
    page.get_by_label("Número de participantes").fill("23")
    page.get_by_label("Problema central").fill("Los proyectos de acueducto rural no llegan a financiarse.")
    page.get_by_label("Causas").fill(CAUSES_BAD)
    page.get_by_label("Efectos").fill("- Veredas sin agua potable")
    page.get_by_label("Objetivos y acciones").fill(OBJECTIVES)
    page.get_by_label("Retos").fill("Sostener la mesa de trabajo")
    row = page.locator("fieldset.commitment-row").first
    row.get_by_label("Compromiso").fill("Acompañar la formulación de dos proyectos")
    row.get_by_label("Responsable").fill("MinVivienda")
    row.get_by_label("Fecha límite").fill("2027-06-30")
    _shot(page, "workshop-form-375")
    page.get_by_role("button", name="Registrar el taller").click()

    # Refused on the field, with the line; everything typed is still there.
    assert page.get_by_role("alert").is_visible()
    assert "Línea 3: la sangría no coincide" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Causas").input_value() == CAUSES_BAD
    assert row.get_by_label("Responsable").input_value() == "MinVivienda"
    assert not Workshop.objects.filter(title="Taller de agua potable rural").exists()
    assert _violations(page, axe) == []  # the form, with its error summary
    page.get_by_label("Causas").fill(CAUSES)
    page.get_by_role("button", name="Registrar el taller").click()
    page.wait_for_url("**/conocimiento/talleres/taller-de-agua-potable-rural-2027-03-10/")

    # The tree, nested: the indirect causes are a list inside their direct cause's item.
    tree = page.locator("section.problem-tree")
    assert tree.get_by_role("heading", name="Causas directas").is_visible()
    assert tree.get_by_role("heading", name="Causas indirectas").is_visible()
    assert tree.get_by_role("heading", name="Efectos").is_visible()
    nested = tree.locator(".tree-causes > ul > li").first.locator("ul > li")
    assert nested.all_inner_texts() == ["No se conoce la oferta", "Rotación del personal"]
    assert page.locator("#problema-central").inner_text().startswith("Los proyectos de acueducto rural")
    assert "Responde a la causa 1." in page.locator("section.solution-tree").inner_text()
    assert _no_horizontal_scroll(page)
    _shot(page, "workshop-375")

    # The commitment is listed for MinVivienda and its page opens.
    commitment = Commitment.objects.get(text="Acompañar la formulación de dos proyectos")
    assert commitment.responsible == minvivienda and commitment.workshop.title == "Taller de agua potable rural"
    listed = page.locator("#workshop-commitments tbody tr")
    assert listed.count() == 1 and minvivienda.name in listed.inner_text()
    page.set_viewport_size(DESKTOP)
    _shot(page, "workshop-1280")
    assert _violations(page, axe) == []
    listed.get_by_role("link", name="Acompañar la formulación de dos proyectos").click()
    page.wait_for_url(f"**/conocimiento/compromisos/{commitment.pk}/")
    assert "Acompañar la formulación de dos proyectos" in page.locator("main").inner_text()


def test_the_2021_workshops_and_the_patt_tree_read_on_a_phone_and_a_desktop(page, axe):  # noqa: F811
    from apps.knowledge.reference import load_workshops

    load_workshops()
    found = {}
    for size, label in ((PHONE, "375"), (DESKTOP, "1280")):
        page.set_viewport_size(size)
        for path, name in (("/conocimiento/arbol-de-problemas/", "patt"),
                           ("/conocimiento/talleres/taller-2021-7-departamentos/", "departamentos"),
                           ("/conocimiento/talleres/", "talleres")):
            page.goto(path)
            assert _no_horizontal_scroll(page), f"{path} at {label} px"
            _shot(page, f"{name}-{label}")
            if violations := _violations(page, axe):
                found[f"{path} at {label} px"] = violations
    assert found == {}
    page.goto("/conocimiento/arbol-de-problemas/")
    causes = page.locator("section.problem-tree .tree-causes > ul > li")
    assert causes.count() == 4
    assert page.locator("section.solution-tree .tree-causes > ul > li").count() == 4
