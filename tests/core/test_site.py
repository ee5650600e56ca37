import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_home_speaks_spanish_and_leads_each_kind_of_user(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    html = gzip.decompress(response.content).decode()
    assert 'lang="es-co"' in html
    for lead in ("Soy de una alcaldía o gobernación", "Soy de una entidad nacional", "Coordino en el DNP"):
        assert lead in html
    # Light for rural connections: the page, its CSS and htmx together under 100 KB over the wire.
    assert len(response.content) < 100_000


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/municipalities/" in schema.content
    assert client.get("/api/docs/").status_code == 200
