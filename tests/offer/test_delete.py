"""Editors delete their own drafts: POST after a confirmation page; anyone else, or any non-draft, gets 404."""

import pytest

from apps.offer.models import Service
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(nina):
    return ServiceFactory(name="Borrador de prueba", organization=nina.organization, status="borrador")


def test_the_owner_confirms_then_deletes_a_draft(client_as, nina, draft):
    client = client_as(nina)
    assert "Eliminar borrador" in client.get(f"/oferta/{draft.pk}/").content.decode()
    page = client.get(f"/oferta/{draft.pk}/eliminar/")
    assert page.status_code == 200 and "¿Eliminar este borrador?" in page.content.decode()
    assert Service.objects.filter(pk=draft.pk).exists()  # the GET only asks
    response = client.post(f"/oferta/{draft.pk}/eliminar/", follow=True)
    assert "Borrador «Borrador de prueba» eliminado." in response.content.decode()
    assert not Service.objects.filter(pk=draft.pk).exists()
    assert Service.history.filter(id=draft.pk, history_type="-").get().history_user == nina


@pytest.mark.parametrize("persona", ["nico", "carla", "alice", "adam"])
def test_no_one_else_may_delete_it(request, client_as, draft, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(f"/oferta/{draft.pk}/eliminar/").status_code == 404
    assert client.post(f"/oferta/{draft.pk}/eliminar/").status_code == 404
    assert Service.objects.filter(pk=draft.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    assert client.post(f"/oferta/{draft.pk}/eliminar/").status_code == 302
    assert Service.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("status", ["publicado", "archivado"])
def test_published_and_archived_services_are_not_deleted(client_as, nina, status):
    service = ServiceFactory(organization=nina.organization, status=status)
    client = client_as(nina)
    assert "Eliminar borrador" not in client.get(f"/oferta/{service.pk}/").content.decode()
    assert client.post(f"/oferta/{service.pk}/eliminar/").status_code == 404
    assert Service.objects.filter(pk=service.pk).exists()
