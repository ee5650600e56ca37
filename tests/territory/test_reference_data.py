import pytest
from django.core.management import call_command

from apps.territory.models import Department, Municipality, NationalEntity, Sector
from apps.territory.selectors import municipality_resolve, municipality_search

pytestmark = pytest.mark.django_db


def test_it_ships_divipola_entities_and_sectors():
    assert Department.objects.count() == 33
    assert Municipality.objects.count() == 1122
    assert NationalEntity.objects.count() == 84
    assert Sector.objects.count() == 28
    assert Municipality.objects.filter(department_id="25").count() == 116


def test_it_loads_again_without_duplicating_and_restores_edits():
    Municipality.objects.filter(code="25290").update(display_name="Mal escrito")
    call_command("load_reference_data", verbosity=0)
    assert Municipality.objects.count() == 1122
    assert Municipality.objects.get(code="25290").display_name == "Fusagasugá"


def test_it_resolves_repeated_names_within_the_department():
    # There are four La Unión; the department decides which one.
    assert municipality_search(q="la union").count() == 4
    assert municipality_resolve(department="52", name="  LA UNION ").code == "52399"
    assert municipality_resolve(department="05", name="Municipio de La Unión").department_id == "05"
    assert municipality_resolve(department="25", name="La Unión") is None


def test_api_counts_116_municipalities_in_cundinamarca_without_login(api):
    response = api.get("/api/v1/municipalities/", {"department": "25"})
    assert response.status_code == 200
    assert response.json()["count"] == 116


@pytest.mark.parametrize(
    ("url", "count"),
    [("/api/v1/departments/", 33), ("/api/v1/entities/", 84), ("/api/v1/sectors/", 28)],
)
def test_api_lists_reference_data_publicly(api, url, count):
    response = api.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_api_is_read_only(api, adam):
    api.force_authenticate(adam)
    assert api.post("/api/v1/sectors/", {"slug": "x", "name": "X"}).status_code == 405


def test_department_and_municipality_pages_credit_dane(client):
    page = client.get("/territorio/departamentos/25/")
    assert page.status_code == 200
    assert "Fusagasugá" in page.content.decode()
    muni = client.get("/territorio/municipios/25290/")
    assert muni.status_code == 200
    assert "DANE" in muni.content.decode()
    assert client.get("/territorio/municipios/99999/").status_code == 404


def test_suggest_finds_by_typed_prefix_within_the_department(client):
    response = client.get("/territorio/municipios/sugerir/", {"department": "25", "q": "fusa"})
    assert [r["code"] for r in response.json()["results"]] == ["25290"]
    options = client.get(
        "/territorio/municipios/sugerir/", {"department": "25", "municipality_name": "fusa", "format": "options"}
    )
    assert '<option value="Fusagasugá">' in options.content.decode()


def test_the_picker_answers_a_200_kb_typed_name_with_no_suggestion(client):
    response = client.get("/territorio/municipios/sugerir/", {"department": "25", "q": "fusa" * 50_000})
    assert response.status_code == 200 and response.json() == {"results": []}
