import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_logs_in_and_reaches_their_organization(page, login):
    from tests.factories import UserFactory, org

    dora = UserFactory(email="dora@cundinamarca.gov.co", organization=org("25"))
    login(dora)
    page.get_by_role("link", name="Mi organización").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Gobernación de Cundinamarca"


def test_a_visitor_types_a_municipality_and_finds_it(page):
    page.goto("/territorio/departamentos/")
    page.get_by_label("Buscar un municipio").fill("fusag")
    page.get_by_role("link", name="Fusagasugá").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fusagasugá"
