"""Single-line fields refuse line breaks, on every page and API route where people type them."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.validators import no_line_breaks
from apps.demand.models import Need
from apps.offer.models import Service
from tests.demand.factories import NeedFactory
from tests.offer.factories import form_payload, service_payload

pytestmark = pytest.mark.django_db

ONE_LINE = "Escriba este dato en una sola línea."
NEED_FORM = {"sector": "salud", "topic": "Plan territorial de salud", "capacity": "planeacion",
             "problem": "No tenemos quién lo formule.\nNi con qué.", "expected_result": "El plan formulado.",
             "priority": "alta", "modality": "virtual", "participants": "4", "plan_goal": "", "submit": "1"}
NEED_API = {"sector": "salud", "topic": "Plan territorial de salud", "capacity": "planeacion",
            "problem": "Línea uno.\nLínea dos.", "expected_result": "El plan formulado.", "participants": 3}


@pytest.mark.parametrize("text", ["a\nb", "a\r\nb", "a\rb", "fin\n", "a\u2028b", "a\x85b", "a\vb"])
def test_it_refuses_every_kind_of_line_break(text):
    with pytest.raises(ValidationError) as info:
        no_line_breaks(text)
    assert info.value.messages == [ONE_LINE]


@pytest.mark.parametrize("text", ["", "Acueducto rural, vereda El Placer", "tab\tinside", None])
def test_it_accepts_one_line(text):
    no_line_breaks(text)


@pytest.mark.parametrize("field", ["topic", "plan_goal"])
def test_the_need_form_refuses_a_line_break_in_a_single_line_field(client_as, alice, field):
    response = client_as(alice).post("/solicitudes/nueva/", {**NEED_FORM, field: "Acueducto\r\nBcc: x@y.co"})
    assert response.status_code == 200
    assert ONE_LINE in response.content.decode()
    assert not Need.objects.exists()


def test_the_need_form_keeps_line_breaks_in_long_texts(client_as, alice):
    assert client_as(alice).post("/solicitudes/nueva/", NEED_FORM).status_code == 302
    assert Need.objects.get().problem == "No tenemos quién lo formule.\nNi con qué."


@pytest.mark.parametrize("field", ["topic", "plan_goal"])
def test_the_requests_api_refuses_a_line_break_in_a_single_line_field(api_as, alice, field):
    response = api_as(alice).post("/api/v1/requests/", {**NEED_API, field: "Acueducto\nrural"}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [ONE_LINE]}
    assert not Need.objects.exists()


def test_the_requests_api_keeps_line_breaks_in_long_texts_and_messages(api_as, alice):
    client = api_as(alice)
    response = client.post("/api/v1/requests/", NEED_API, format="json")
    assert response.status_code == 201, response.json()
    url = f"/api/v1/requests/{response.json()['id']}/messages/"
    assert client.post(url, {"body": "Hola.\nGracias."}, format="json").status_code == 201


def test_the_filing_service_refuses_a_line_break_whatever_the_caller(alice):
    from apps.demand import services
    from apps.territory.models import Sector

    data = {"sector": Sector.objects.get(slug="salud"), "topic": "Uno\ndos", "capacity": "planeacion",
            "problem": "p", "expected_result": "r", "participants": 1}
    with pytest.raises(ValidationError) as info:
        services.need_file(user=alice, data=data)
    assert info.value.message_dict == {"topic": [ONE_LINE]}
    need = NeedFactory(status="borrador", submitted_at=None)
    with pytest.raises(ValidationError):
        services.need_update(user=alice, need=need, data={"plan_goal": "Meta\n2"})


def test_the_organisation_contact_form_and_api_refuse_a_line_break(client_as, api_as, alice):
    org = alice.organization
    response = client_as(alice).post(f"/cuentas/organizaciones/{org.pk}/editar/",
                                     {"email": "contacto@fusagasuga.gov.co", "phone": "601\n555", "address": "Calle 1"})
    assert ONE_LINE in response.content.decode()
    response = api_as(alice).patch(f"/api/v1/organizations/{org.pk}/", {"address": "Calle 1\nBogotá"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"address": [ONE_LINE]}
    org.refresh_from_db()
    assert (org.phone, org.address) == ("", "")


def test_the_service_form_and_api_refuse_a_line_break_in_the_name(client_as, api_as, nina):
    response = client_as(nina).post("/oferta/nuevo/", form_payload(name="Acueductos\nrurales"))
    assert ONE_LINE in response.content.decode()
    response = api_as(nina).post("/api/v1/offers/", service_payload(name="Acueductos\nrurales"), format="json")
    assert response.status_code == 400
    assert response.json()["name"] == [ONE_LINE]
    assert not Service.objects.exists()
