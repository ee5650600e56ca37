"""Names sort in Spanish alphabetical order, accents ignored: Cáqueza (25151) before Cucunubá (25224),
Córdoba before Cundinamarca, on SQLite and PostgreSQL, wherever territories and entities are listed."""

import pytest

from apps.core.text import normalize
from apps.offer.forms import ServiceForm
from apps.territory.models import Department, Municipality, NationalEntity
from apps.territory.selectors import department_list, municipality_search

pytestmark = pytest.mark.django_db

RENOVACION = "Agencia de Renovación del Territorio"
INMOBILIARIA = "Agencia Nacional Inmobiliaria Virgilio Barco Vargas"


def _before(names: list[str], first: str, second: str) -> bool:
    return names.index(first) < names.index(second)


def test_it_orders_municipalities_accent_aware_by_default():
    names = list(Municipality.objects.filter(department_id="25").values_list("display_name", flat=True))
    assert _before(names, "Cáqueza", "Cucunubá")
    assert Municipality.objects.get(code="25151").display_name == "Cáqueza"
    assert Municipality.objects.get(code="25224").display_name == "Cucunubá"


def test_it_orders_departments_and_entities_accent_aware():
    departments = [d.display_name for d in Department.objects.all()]
    assert _before(departments, "Córdoba", "Cundinamarca")
    assert _before([d.display_name for d in department_list()], "Córdoba", "Cundinamarca")
    entities = list(NationalEntity.objects.values_list("name", flat=True))
    assert _before(entities, RENOVACION, INMOBILIARIA)  # case ignored too: "de" before "Nacional"


def test_it_suggests_municipalities_accent_aware():
    names = [m.display_name for m in municipality_search(q="c", department="25")]
    assert _before(names, "Cáqueza", "Cucunubá")


def test_the_department_page_lists_its_municipalities_accent_aware(client):
    html = client.get("/territorio/departamentos/25/").content.decode()
    assert html.index("Cáqueza") < html.index("Cucunubá")


def test_the_suggest_endpoint_answers_accent_aware(client):
    results = client.get("/territorio/municipios/sugerir/", {"q": "ca", "department": "25"}).json()["results"]
    names = [r["name"] for r in results]
    assert "Cáqueza" in names
    assert names == sorted(names, key=normalize)


def test_the_entities_page_lists_entities_accent_aware(client):
    html = client.get("/territorio/entidades/").content.decode()
    assert html.index(RENOVACION) < html.index(INMOBILIARIA)


def test_the_department_selects_list_departments_accent_aware():
    labels = [str(label) for _value, label in ServiceForm().fields["departments"].choices]
    assert _before(labels, "Córdoba", "Cundinamarca")
