"""Absurd input on the commitments' pages and API: ids past 64 bits and 200 KB searches answer
404, 400 or an ignored filter, never a 500 (SQLite raises OverflowError on such ids)."""

import pytest

pytestmark = pytest.mark.django_db
BIG = "9" * 30
LONG = "x" * 200_000


@pytest.mark.parametrize(("url", "codes"), [
    (f"/conocimiento/compromisos/?responsible={BIG}", {200}),
    (f"/conocimiento/compromisos/?q={LONG}", {200}),
    (f"/conocimiento/compromisos/{BIG}/", {404}),
    (f"/conocimiento/compromisos/exportar/?responsible={BIG}&formato=csv", {200}),
    (f"/agenda/jornadas/{BIG}/compromisos/", {404}),
    (f"/api/v1/knowledge/commitments/?responsible={BIG}", {400}),
    (f"/api/v1/knowledge/commitments/?event={BIG}", {400}),
    (f"/api/v1/knowledge/commitments/?q={LONG}", {400}),
    (f"/api/v1/knowledge/commitments/{BIG}/", {404}),
])
def test_absurd_input_is_not_a_server_error(client_as, api_as, carla, url, codes):
    response = api_as(carla).get(url) if url.startswith("/api/") else client_as(carla).get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code in codes
