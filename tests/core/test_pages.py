"""Site-wide pages: Spanish error pages with a way back, favicon, the home page's calls to action."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path

import config.urls

pytestmark = pytest.mark.django_db


def test_it_answers_a_missing_page_in_spanish_with_the_layout_and_a_way_back(client, settings):
    settings.DEBUG = False
    response = client.get("/no-existe/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "No encontramos esta página" in html
    assert 'class="top"' in html and 'href="/"' in html
    assert "Not Found" not in html


def test_it_answers_a_forbidden_page_in_spanish(client_as, alice, settings):
    settings.DEBUG = False
    # Importing people is for coordinators: an editor gets the 403 page.
    response = client_as(alice).get("/cuentas/personas/importar/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "No tiene permiso para ver esta página" in html
    assert "Ir al inicio" in html and "Forbidden" not in html


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("falla/", _boom), *config.urls.urlpatterns]


@pytest.mark.urls("tests.core.test_pages")
def test_it_answers_a_server_error_in_spanish_without_touching_the_database(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/falla/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Algo falló de nuestro lado" in html and 'href="/"' in html
    assert "Server Error" not in html
    assert len(queries) == 0


def test_it_explains_a_csrf_failure_in_spanish(alice, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/cuentas/salir/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "No pudimos recibir el formulario" in html
    assert "CSRF verification failed" not in html


def test_it_serves_a_favicon(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


@pytest.mark.parametrize("path", ["/solicitudes/nueva/", "/oferta/nuevo/", "/solicitudes/bandeja/"])
def test_it_leads_the_home_page_buttons_straight_to_the_forms(client, alice, path):
    from urllib.parse import quote

    assert f'href="/cuentas/ingresar/?next={quote(path)}"' in client.get("/").content.decode()
    client.force_login(alice)
    assert f'href="{path}"' in client.get("/").content.decode()


def test_it_sends_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_it_serves_swagger_ui_with_its_init_script_as_a_file(client):
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
