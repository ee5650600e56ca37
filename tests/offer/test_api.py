import pytest

from apps.offer.models import Service
from tests.factories import org
from tests.offer.factories import ServiceFactory, service_payload

pytestmark = pytest.mark.django_db


def test_it_lists_published_services_with_filters_and_pages(api):
    ServiceFactory(name="Vivienda virtual", modality="virtual")
    ServiceFactory(name="Minería presencial", organization=org("ANM"), modality="presencial", sectors=["minas-energia"])
    ServiceFactory(name="Borrador", status="borrador")
    body = api.get("/api/v1/offers/").json()
    assert body["count"] == 2
    assert [r["name"] for r in api.get("/api/v1/offers/", {"modality": "presencial"}).json()["results"]] == [
        "Minería presencial"]
    assert [r["name"] for r in api.get("/api/v1/offers/", {"sector": "minas-energia"}).json()["results"]] == [
        "Minería presencial"]
    assert [r["name"] for r in api.get("/api/v1/offers/", {"q": "vivienda"}).json()["results"]] == ["Vivienda virtual"]
    page = api.get("/api/v1/offers/", {"page_size": 1, "page": 2}).json()
    assert page["count"] == 2 and len(page["results"]) == 1


def test_it_rejects_an_invalid_filter_value(api):
    assert api.get("/api/v1/offers/", {"modality": "telepatia"}).status_code == 400


def test_it_describes_a_service(api):
    service = ServiceFactory(capacities=["planeacion", "gestion"], nationwide=False, departments=["25"])
    body = api.get(f"/api/v1/offers/{service.pk}/").json()
    assert body["capacities"] == ["planeacion", "gestion"]
    assert body["departments"] == ["25"]
    assert body["sectors"] == ["vivienda"]
    assert body["organization_name"] == "Ministerio de Vivienda, Ciudad y Territorio"
    assert body["url"] == f"/oferta/{service.pk}/"


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_runs_the_same_queries_for_one_or_many(api, count, django_assert_num_queries):
    for n in range(count):
        ServiceFactory(name=f"S{n}", sectors=["vivienda", "ambiente"], nationwide=False, departments=["25", "05"])
    # count, page (with organisation), sectors, departments
    with django_assert_num_queries(4):
        response = api.get("/api/v1/offers/", {"page_size": 100})
    assert len(response.json()["results"]) == count


def test_an_editor_creates_a_draft_for_their_organisation(api_as, nina):
    response = api_as(nina).post("/api/v1/offers/", service_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "borrador"
    assert body["organization"] == nina.organization_id
    service = Service.objects.get(pk=body["id"])
    assert service.history.first().history_user == nina


def test_it_answers_validation_errors_in_spanish(api_as, nina):
    response = api_as(nina).post("/api/v1/offers/", service_payload(nationwide=False, departments=[]), format="json")
    assert response.status_code == 400
    assert "todo el país" in response.json()["departments"][0]


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("nina", 201), ("dora", 201), ("nico", 201)])
def test_who_may_create_through_the_api(request, api_as, persona, status):
    response = api_as(request.getfixturevalue(persona)).post("/api/v1/offers/", service_payload(), format="json")
    assert response.status_code == status


def test_anonymous_visitors_cannot_create(api):
    assert api.post("/api/v1/offers/", service_payload(), format="json").status_code in (401, 403)
    assert not Service.objects.exists()


def test_the_owner_updates_publishes_and_archives(api_as, nina):
    api = api_as(nina)
    service_id = api.post("/api/v1/offers/", service_payload(), format="json").json()["id"]
    response = api.put(f"/api/v1/offers/{service_id}/", service_payload(name="Nombre nuevo", modality="virtual"),
                       format="json")
    assert response.status_code == 200 and response.json()["name"] == "Nombre nuevo"
    assert api.post(f"/api/v1/offers/{service_id}/publish/").json()["status"] == "publicado"
    assert api.post(f"/api/v1/offers/{service_id}/archive/").json()["status"] == "archivado"
    response = api.post(f"/api/v1/offers/{service_id}/archive/")
    assert response.status_code == 400
    assert "no puede pasar" in response.json()["non_field_errors"][0]


def test_the_schema_documents_the_offers_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/offers/", "/api/v1/offers/{id}/", "/api/v1/offers/{id}/publish/",
                 "/api/v1/offers/{id}/archive/"):
        assert path in schema
    assert "Catálogo de servicios de ATT" in schema
