"""NUL and other control characters in a path, query string or form field answer 400 in Spanish
(PostgreSQL cannot store NUL: these used to be server errors)."""

import pytest

pytestmark = pytest.mark.django_db

SPANISH = "caracteres de control"


@pytest.mark.parametrize("url", [
    "/oferta/?q=%00",
    "/territorio/municipios/sugerir/?q=%00",
    "/territorio/departamentos/2%005/",
    "/territorio/municipios/25%00290/",
    "/territorio/entidades/%00/",
    "/oferta/?q=agua%1b",
    "/oferta/?%00=1",
])
def test_it_answers_400_with_a_spanish_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert SPANISH in response.content.decode()
    assert 'lang="es-co"' in response.content.decode()


def test_the_api_answers_400_in_json(api):
    response = api.get("/api/v1/offers/?q=%00")
    assert response.status_code == 400
    assert SPANISH in response.json()["detail"]


def test_a_form_field_with_nul_answers_400(client_as, alice):
    response = client_as(alice).post("/solicitudes/nueva/", {"topic": "agua\x00potable"})
    assert response.status_code == 400
    assert SPANISH in response.content.decode()


def test_tabs_and_line_breaks_are_harmless_and_pass(client):
    assert client.get("/oferta/?q=agua%09potable%0A").status_code == 200


def test_a_text_area_with_line_breaks_passes_the_middleware(client_as, alice):
    response = client_as(alice).post("/solicitudes/nueva/", {"problem": "línea uno\r\nlínea dos"})
    assert response.status_code == 200  # the form again, with its own field errors
    assert SPANISH not in response.content.decode()


def test_a_multipart_body_without_its_boundary_answers_400_not_500(api, alice):
    api.force_authenticate(alice)
    response = api.generic("POST", "/api/v1/offers/", b'{"name": "x"}', content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize("how", ["post", "multipart", "query"])
def test_too_many_fields_answer_400_not_500(client, how):
    """The middleware reads the form before the user is attached: Django's own 400 page (its
    context processors read request.user) used to turn this into a server error."""
    fields = {f"k{n}": "1" for n in range(1500)}
    if how == "query":
        response = client.get("/oferta/", fields)
    elif how == "multipart":
        response = client.post("/seguimiento/responder/x/", fields)
    else:
        from urllib.parse import urlencode

        response = client.post("/seguimiento/responder/x/", urlencode(fields),
                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "demasiados campos" in response.content.decode()


def test_too_many_fields_on_the_api_answer_400_in_json(api):
    response = api.get("/api/v1/offers/", {f"k{n}": "1" for n in range(1500)})
    assert response.status_code == 400
    assert "demasiados campos" in response.json()["detail"]


def test_a_body_over_the_limit_answers_400_not_500(client):
    from django.conf import settings

    body = "a=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = client.post("/seguimiento/responder/x/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "demasiado grandes" in response.content.decode()
