"""The change history says what changed, in Spanish: field names and old → new values."""

import re
from html import unescape

import pytest

from apps.offer.models import Service
from tests.offer.factories import form_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_service(client_as, nina):
    """nina creates a draft, sets its validity and its departments, then publishes it."""
    client = client_as(nina)
    client.post("/oferta/nuevo/", form_payload(name="Catastro multipropósito"))
    service = Service.objects.get(name="Catastro multipropósito")
    client.post(f"/oferta/{service.pk}/editar/", form_payload(
        name="Catastro multipropósito", valid_until="2026-12-31", nationwide=None, departments=["25", "05"],
    ))
    client.post(f"/oferta/{service.pk}/publicar/")
    return service


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_service_page_lists_each_change_with_fields_and_values(client_as, nina, edited_service):
    html = client_as(nina).get(f"/oferta/{edited_service.pk}/").content.decode()
    history = _text(html[html.index("Historial de cambios"):])
    assert "Changed" not in history and "Created" not in history
    assert "Modificado" in history and "Creado" in history
    assert "Estado: Borrador → Publicado" in history
    assert "Vigente hasta: — → 31 Dic 2026" in history
    assert "Disponible en todo el país: Sí → No" in history
    assert re.search(r"Departamentos[^:]*: — → (Antioquia, Cundinamarca|Cundinamarca, Antioquia)", history)


def test_the_admin_history_is_spanish_with_fields_and_values(client_as, adam, edited_service):
    html = client_as(adam).get(f"/admin/offer/service/{edited_service.pk}/history/").content.decode()
    text = _text(html)
    assert "Historial de cambios: Catastro multipropósito" in text
    assert "Changed" not in text and "Change history" not in text
    assert "Estado: Borrador → Publicado" in text
