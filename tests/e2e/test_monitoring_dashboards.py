"""The monitoring dashboards in Chromium: on a phone (375 px) nothing scrolls sideways, at
1280 px the chart and its table sit side by side, and axe finds no WCAG 2.1 AA violation.

Set SCREENSHOTS_DIR to keep a PNG of every page at both widths (to look at them).
"""

import os
from datetime import date
from pathlib import Path

import pytest

from tests.e2e.test_accessibility import _violations, axe  # noqa: F401 - the axe fixture skips without axe-core

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PUBLIC = ["/seguimiento/resumen/", "/seguimiento/indicadores/coverage/",
          "/seguimiento/indicadores/capacity_change/?by=capacity", "/seguimiento/datos-abiertos/diccionario/",
          "/territorio/departamentos/25/", "/territorio/entidades/MinVivienda/"]
COORDINATOR = ["/seguimiento/", "/seguimiento/?by=provider&indicator=joint_missions",
               "/seguimiento/?department=Cundinamarca", "/territorio/municipios/25290/"]


@pytest.fixture
def results():
    """A published period with a joint mission in Fusagasugá (its need answered, capacities measured
    before and after, five satisfaction answers) and a need of Medellín still waiting."""
    from apps.agenda.models import AgendaPeriod, Event
    from apps.demand.models import Status as NeedStatus
    from apps.territory.models import Municipality
    from tests.agenda.factories import EventFactory, at
    from tests.demand.factories import NeedFactory
    from tests.factories import org
    from tests.monitoring import indicator_data as data

    period = AgendaPeriod.objects.create(name="2027-T1", starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31),
                                         status=AgendaPeriod.Status.PUBLISHED)
    fusa = Municipality.objects.get(code="25290")
    need = NeedFactory(status=NeedStatus.ATTENDED, submitted_at=at(-10))
    NeedFactory(organization=org("05001"), status=NeedStatus.FILED, submitted_at=at(-5))
    event = EventFactory(status=Event.Status.DONE, providers=["MinVivienda", "ANM"], starts_at=at(0))
    Event.objects.filter(pk=event.pk).update(period=period)
    event.needs.set([need])
    for value in (5, 4, 4, 3, 5):
        data.answer(data.invitation(event, municipality=fusa), {"satisfaction": value, "pertinence": value})
    data.capacity(event, fusa, "planeacion", before=2, after=4)
    data.capacity(event, fusa, "gestion", before=3, after=2)
    return period


def _shot(page, path: str, width: int) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-") or "home"
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def _check(page, paths: list[str], axe_source: str) -> dict:
    """Each page at phone and desktop width: no sideways scroll on the phone, axe violations."""
    found: dict[str, list] = {}
    for path in paths:
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            page.goto(path)
            _shot(page, path, size["width"])
            if size is PHONE:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    found.setdefault(path, []).append(f"{width} px wide on a phone")
            elif violations := _violations(page, axe_source):
                found.setdefault(path, []).extend(violations)
    return found


def test_the_public_results_fit_a_phone_and_pass_axe(page, results, axe):  # noqa: F811
    assert _check(page, PUBLIC, axe) == {}
    page.set_viewport_size(PHONE)
    page.goto("/seguimiento/resumen/")
    assert page.locator("figure.survey-map svg path[data-code='25']").count() == 1  # the map of Colombia
    assert page.locator("#ind-coverage .figure").inner_text() == "50 %"
    page.locator("#ind-coverage summary").click()
    assert "Territorios con solicitudes radicadas" in page.locator("#ind-coverage details").inner_text()


def test_the_coordinators_dashboard_fits_a_phone_and_passes_axe(page, login, results, axe):  # noqa: F811
    from apps.accounts.models import User
    from tests.factories import UserFactory, org

    login(UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR))
    assert _check(page, COORDINATOR, axe) == {}
    page.set_viewport_size(DESKTOP)
    page.goto("/seguimiento/?indicator=coverage")
    chart, table = page.locator(".two-cols > div").nth(0), page.locator(".two-cols > div").nth(1)
    assert chart.bounding_box()["y"] == table.bounding_box()["y"]  # side by side
    page.get_by_label("Departamento").first.fill("Cundinamarca")
    page.get_by_role("button", name="Ver").first.click()
    assert page.locator("#ind-coverage .figure").inner_text() == "100 %"


def test_a_coordinator_closes_a_period_in_the_browser(page, login, results):
    from apps.accounts.models import User
    from apps.monitoring.models import FrozenPeriod
    from tests.factories import UserFactory, org

    login(UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR))
    page.goto(f"/seguimiento/?period={results.pk}")
    page.get_by_role("link", name="Cerrar las cifras de 2027-T1").click()
    page.get_by_role("button", name="Sí, cerrar y congelar las cifras").click()
    page.wait_for_url(f"**/seguimiento/?period={results.pk}")
    assert "Cifras congeladas el" in page.locator("main").inner_text()
    assert FrozenPeriod.objects.filter(period=results).exists()
