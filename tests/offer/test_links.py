"""A service's links: only http(s) and mailto, refused alike by the form, the API, the import and the
service; the public page never renders any other href."""

import csv
import io

import pytest

from apps.offer.models import Service
from apps.offer.services import service_update
from tests.offer.factories import ServiceFactory, form_payload, service_payload
from tests.offer.test_spreadsheets import GOOD, HEADER

pytestmark = pytest.mark.django_db

HOSTILE = ["Guía | javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
           "Ver | JaVaScRiPt:alert(1)", " vbscript:msgbox(1)"]


@pytest.mark.parametrize("links", HOSTILE)
def test_the_api_refuses_script_and_data_links(api_as, nina, links):
    response = api_as(nina).post("/api/v1/offers/", service_payload(links=links), format="json")
    assert response.status_code == 400
    assert "La línea 1 no tiene un enlace válido" in str(response.json()["links"])
    assert not Service.objects.exists()


def test_the_api_refuses_them_on_update_too(api_as, nina):
    service = ServiceFactory(organization=nina.organization)
    response = api_as(nina).patch(f"/api/v1/offers/{service.pk}/", {"links": "https://ok.gov.co\njavascript:x"},
                                  format="json")
    assert response.status_code == 400 and "La línea 2" in str(response.json()["links"])


def test_the_form_refuses_them(client_as, nina):
    response = client_as(nina).post("/oferta/nuevo/", form_payload(links="Guía | javascript:alert(1)"))
    assert "La línea 1 no tiene un enlace válido" in response.content.decode()
    assert not Service.objects.exists()


def test_the_import_refuses_them_as_a_row_error(client_as, nina):
    out = io.StringIO()
    csv.writer(out).writerows([[*HEADER, "enlaces"], [*GOOD, "Guía | javascript:alert(1)"]])
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "s.csv"
    response = client_as(nina).post("/oferta/importar/", {"file": upload})
    assert [(e["line"], e["column"]) for e in response.context["errors"]] == [(2, "enlaces")]


def test_the_service_refuses_them_whoever_calls_it(nina):
    service = ServiceFactory(organization=nina.organization)
    with pytest.raises(Exception, match="enlace válido"):
        service_update(user=nina, service=service, data={"links": "data:text/html,hola"})


def test_https_http_and_mailto_are_kept(api_as, nina):
    links = "Guía | https://www.dnp.gov.co/guia\nhttp://esap.edu.co\nEscríbanos | mailto:att@dnp.gov.co"
    response = api_as(nina).post("/api/v1/offers/", service_payload(links=links), format="json")
    assert response.status_code == 201, response.json()
    assert Service.objects.get().links == links


def test_the_page_never_renders_a_stored_script_link(client):
    service = ServiceFactory(links="Malo | javascript:alert(1)\nBueno | https://www.dnp.gov.co")
    html = client.get(f"/oferta/{service.pk}/").content.decode()
    assert "javascript:" not in html
    assert "<li>Malo</li>" in html and 'href="https://www.dnp.gov.co"' in html
