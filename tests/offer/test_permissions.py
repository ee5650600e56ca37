"""Persona → expected status, for MinVivienda's published service and draft, on pages and API."""

import pytest

from apps.offer.models import Service
from tests.offer.factories import ServiceFactory, form_payload

pytestmark = pytest.mark.django_db

# anonymous, alice (municipality), dora (department), nina (MinVivienda: owner), nico (ANM), carla (coordinator)
PERSONAS = ["anonymous", "alice", "dora", "nina", "nico", "carla"]


def _who(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize(("persona", "published", "draft"), [
    ("anonymous", 200, 404), ("alice", 200, 404), ("dora", 200, 404),
    ("nina", 200, 200), ("nico", 200, 404), ("carla", 200, 200),
])
def test_who_sees_the_service_page(request, client_as, persona, published, draft):
    client = client_as(_who(request, persona))
    assert client.get(f"/oferta/{ServiceFactory().pk}/").status_code == published
    assert client.get(f"/oferta/{ServiceFactory(status='borrador').pk}/").status_code == draft


@pytest.mark.parametrize(("persona", "published", "draft"), [
    ("anonymous", 302, 302), ("alice", 403, 404), ("dora", 403, 404),
    ("nina", 200, 200), ("nico", 403, 404), ("carla", 403, 403),
])
def test_who_opens_the_editor(request, client_as, persona, published, draft):
    client = client_as(_who(request, persona))
    assert client.get(f"/oferta/{ServiceFactory().pk}/editar/").status_code == published
    assert client.get(f"/oferta/{ServiceFactory(status='borrador').pk}/editar/").status_code == draft


@pytest.mark.parametrize(("persona", "status"), [
    ("anonymous", 302), ("alice", 404), ("nico", 404), ("carla", 403), ("nina", 302),
])
def test_who_publishes_a_draft(request, client_as, persona, status):
    service = ServiceFactory(status="borrador")
    assert client_as(_who(request, persona)).post(f"/oferta/{service.pk}/publicar/").status_code == status
    service.refresh_from_db()
    assert (service.status == Service.Status.PUBLISHED) is (persona == "nina")


@pytest.mark.parametrize(("persona", "status"), [
    ("anonymous", 302), ("alice", 403), ("dora", 200), ("nina", 200), ("nico", 200), ("carla", 200),
])
def test_who_may_create(request, client_as, persona, status):
    # DNP coordinators belong to the DNP, which also offers services.
    assert client_as(_who(request, persona)).get("/oferta/nuevo/").status_code == status


@pytest.mark.parametrize(("persona", "published", "draft"), [
    ("anonymous", 200, 404), ("alice", 200, 404), ("dora", 200, 404),
    ("nina", 200, 200), ("nico", 200, 404), ("carla", 200, 200),
])
def test_who_reads_through_the_api(request, api_as, persona, published, draft):
    api = api_as(_who(request, persona))
    assert api.get(f"/api/v1/offers/{ServiceFactory().pk}/").status_code == published
    assert api.get(f"/api/v1/offers/{ServiceFactory(status='borrador').pk}/").status_code == draft


@pytest.mark.parametrize(("persona", "published", "draft"), [
    ("anonymous", 401, 401), ("alice", 403, 404), ("dora", 403, 404),
    ("nina", 200, 200), ("nico", 403, 404), ("carla", 403, 403),
])
def test_who_changes_through_the_api(request, api_as, persona, published, draft):
    api = api_as(_who(request, persona))
    pub, dra = ServiceFactory(name="Original"), ServiceFactory(name="Original", status="borrador")
    assert api.patch(f"/api/v1/offers/{pub.pk}/", {"name": "Cambiado"}, format="json").status_code == published
    assert api.post(f"/api/v1/offers/{dra.pk}/publish/").status_code == draft
    pub.refresh_from_db()
    assert (pub.name == "Cambiado") is (persona == "nina")


def test_an_anm_editor_cannot_archive_minviviendas_service_through_the_api(api_as, nico):
    service = ServiceFactory()
    response = api_as(nico).post(f"/api/v1/offers/{service.pk}/archive/")
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.status == Service.Status.PUBLISHED


def test_the_editor_form_for_another_entity_saves_nothing(client_as, nico):
    service = ServiceFactory(name="Original")
    response = client_as(nico).post(f"/oferta/{service.pk}/editar/", form_payload(name="Pirata"))
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.name == "Original"
