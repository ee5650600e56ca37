"""The site on a phone (375 px wide) and under its Content-Security-Policy, in Chromium."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


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
