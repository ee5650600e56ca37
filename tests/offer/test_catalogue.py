import re

import pytest
from django.db import connection

from apps.offer.models import Service
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return re.findall(r'<h2><a href="/oferta/\d+/">([^<]+)</a>', response.content.decode())


def test_it_lists_only_published_services_to_anonymous_visitors(client):
    ServiceFactory(name="Publicado visible")
    ServiceFactory(name="Borrador oculto", status=Service.Status.DRAFT)
    ServiceFactory(name="Archivado oculto", status=Service.Status.ARCHIVED)
    response = client.get("/oferta/")
    assert response.status_code == 200
    assert _names(response) == ["Publicado visible"]


def test_it_shows_drafts_to_coordinators_and_to_the_owner_only(client_as, carla, nina, nico):
    ServiceFactory(name="Borrador de MinVivienda", status=Service.Status.DRAFT)
    assert "Borrador de MinVivienda" in _names(client_as(carla).get("/oferta/"))
    assert "Borrador de MinVivienda" in _names(client_as(nina).get("/oferta/"))
    assert "Borrador de MinVivienda" not in _names(client_as(nico).get("/oferta/"))


def test_it_searches_in_spanish_ignoring_accents_and_case(client):
    ServiceFactory(name="Planeación del ordenamiento territorial")
    ServiceFactory(name="Agua potable rural", summary="Acueductos veredales.")
    assert _names(client.get("/oferta/", {"q": "PLANEACION"})) == ["Planeación del ordenamiento territorial"]
    assert _names(client.get("/oferta/", {"q": "acueductos"})) == ["Agua potable rural"]
    assert _names(client.get("/oferta/", {"q": "minería"})) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Spanish stemming exists only in PostgreSQL")
def test_it_finds_plural_and_singular_forms_on_postgresql(client):
    ServiceFactory(name="Acueductos veredales")
    assert _names(client.get("/oferta/", {"q": "acueducto"})) == ["Acueductos veredales"]


def test_it_filters_by_each_facet_and_counts_the_others(client):
    ServiceFactory(name="A", modality="virtual", capacities=["planeacion"], sectors=["vivienda"])
    ServiceFactory(name="B", modality="presencial", capacities=["gestion", "tecnica"], sectors=["ambiente"],
                   assistance_type="capacitacion", nationwide=False, departments=["05"])
    ServiceFactory(name="C", organization=org("ANM"), modality="virtual", capacities=["tecnica"],
                   sectors=["minas-energia"], nationwide=False, departments=["25"])
    assert _names(client.get("/oferta/", {"modality": "virtual"})) == ["A", "C"]
    assert _names(client.get("/oferta/", {"capacity": "tecnica"})) == ["B", "C"]
    assert _names(client.get("/oferta/", {"sector": "ambiente"})) == ["B"]
    assert _names(client.get("/oferta/", {"type": "capacitacion"})) == ["B"]
    assert _names(client.get("/oferta/", {"entity": org("ANM").pk})) == ["C"]
    # Nationwide services are available in every department.
    assert _names(client.get("/oferta/", {"department": "25"})) == ["A", "C"]
    assert _names(client.get("/oferta/", {"department": "5"})) == ["A", "B"]

    facets = client.get("/oferta/", {"modality": "virtual"}).context["facets"]
    by_key = {f["key"]: {v["label"]: v["count"] for v in f["values"]} for f in facets}
    # The modality facet ignores its own filter; the others count within "virtual".
    assert by_key["modality"] == {"Presencial": 1, "Virtual": 2, "Mixta": 0}
    assert by_key["capacity"]["Técnica"] == 1 and by_key["capacity"]["Planeación"] == 1
    assert by_key["department"]["Cundinamarca"] == 2 and by_key["department"]["Antioquia"] == 1
    assert by_key["entity"] == {"Ministerio de Vivienda, Ciudad y Territorio": 1, "Agencia Nacional de Minería": 1}
    assert "status" not in by_key


def test_it_paginates(client):
    for n in range(12):
        ServiceFactory(name=f"Servicio {n:02d}")
    response = client.get("/oferta/", {"page_size": 10, "page": 2})
    assert _names(response) == ["Servicio 10", "Servicio 11"]
    assert "Página 2 de 2" in response.content.decode()


def test_it_ignores_unknown_filter_values_instead_of_failing(client):
    ServiceFactory(name="A")
    assert _names(client.get("/oferta/", {"modality": "telepatia", "page_size": "mil", "page": "x"})) == ["A"]


def test_a_200_kb_search_or_an_id_past_64_bits_finds_nothing_instead_of_failing(client, api):
    ServiceFactory(name="Acueductos veredales")
    huge_id = "9" * 20
    for url in ("/oferta/", "/oferta/exportar/csv/", "/oferta/exportar/xlsx/"):
        assert client.get(url, {"q": "acueducto " + "x" * 200_000}).status_code == 200, url
        assert client.get(url, {"entity": huge_id}).status_code == 200, url
    assert _names(client.get("/oferta/", {"q": "acueductos " + "palabra " * 30_000})) == []
    assert api.get("/api/v1/offers/", {"q": "x" * 200_000}).status_code == 200
    response = api.get("/api/v1/offers/", {"entity": huge_id})
    assert response.status_code == 400 and "entity" in response.json()


def _services(count: int) -> None:
    for n in range(count):
        ServiceFactory(name=f"S{n:03d}", sectors=["vivienda", "ambiente"], nationwide=n % 2 == 0,
                       departments=["25", "05"])


@pytest.mark.parametrize("count", [1, 30])
def test_it_runs_the_same_queries_for_one_or_many_services(client, count, django_assert_num_queries):
    _services(count)
    # count, page, sectors and departments of the page; facets: one conditional aggregate
    # (capacity, modality, type, nationwide), entity, sector, department counts, department names.
    with django_assert_num_queries(9):
        response = client.get("/oferta/", {"page_size": 100, "q": "municipios"} if count > 1 else {"page_size": 10})
    assert len(response.context["page"].object_list) == count


def test_the_service_page_shows_the_fields_and_hides_drafts_from_others(client, client_as, nina):
    service = ServiceFactory(name="Guía de regalías", topics="regalías, proyectos", yearly_capacity=40,
                             links="Guía | https://www.dnp.gov.co/guia")
    html = client.get(f"/oferta/{service.pk}/").content.decode()
    for text in ("Guía de regalías", "regalías, proyectos", "40 entidades territoriales", "https://www.dnp.gov.co/guia",
                 "Planeación", "Todo el país"):
        assert text in html
    assert "Editar" not in html
    draft = ServiceFactory(status=Service.Status.DRAFT)
    assert client.get(f"/oferta/{draft.pk}/").status_code == 404
    assert client_as(nina).get(f"/oferta/{draft.pk}/").status_code == 200


def test_the_entity_page_lists_the_entitys_published_services(client):
    ServiceFactory(name="Formalización minera", organization=org("ANM"))
    ServiceFactory(name="Borrador minero", organization=org("ANM"), status=Service.Status.DRAFT)
    ServiceFactory(name="De vivienda")
    html = client.get("/territorio/entidades/ANM/").content.decode()
    assert "Formalización minera" in html
    assert "Borrador minero" not in html and "De vivienda" not in html


def test_the_department_page_shows_the_governors_offer(client):
    ServiceFactory(name="Hacienda municipal", organization=org("25"), nationwide=False, departments=["25"])
    html = client.get("/territorio/departamentos/25/").content.decode()
    assert "Hacienda municipal" in html
    assert "/oferta/?department=25" in html


def test_coordinators_get_a_status_facet_and_can_list_only_drafts(client_as, carla):
    ServiceFactory(name="Publicado")
    ServiceFactory(name="Borrador", status=Service.Status.DRAFT)
    response = client_as(carla).get("/oferta/", {"status": "borrador"})
    assert _names(response) == ["Borrador"]
    status = next(f for f in response.context["facets"] if f["key"] == "status")
    assert {v["label"]: (v["count"], v["selected"]) for v in status["values"]} == {
        "Borrador": (1, True), "Publicado": (1, False), "Archivado": (0, False)}


def test_the_municipality_page_counts_the_offer_that_reaches_it(client):
    ServiceFactory(name="Nacional")
    ServiceFactory(name="Solo Antioquia", nationwide=False, departments=["05"])
    ServiceFactory(name="Borrador", status=Service.Status.DRAFT)
    html = client.get("/territorio/municipios/25290/").content.decode()
    assert "1 servicio publicado está disponible en Cundinamarca." in html
    assert "/oferta/?department=25" in html


def test_a_territory_asks_for_a_published_service_from_its_page(client_as, alice, nina):
    service = ServiceFactory(organization=nina.organization, status=Service.Status.PUBLISHED)
    link = f'href="/solicitudes/nueva/?servicio={service.pk}"'
    assert link in client_as(alice).get(f"/oferta/{service.pk}/").content.decode()
    # The owner does not ask for its own service.
    assert link not in client_as(nina).get(f"/oferta/{service.pk}/").content.decode()
