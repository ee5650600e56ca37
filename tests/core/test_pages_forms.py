"""Long forms say what is wrong where: errors on their field and a summary at the top linking to each."""

import re

import pytest

from tests.offer.factories import form_payload

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_it_puts_a_reversed_validity_period_on_its_field_in_spanish(client_as, nina):
    response = client_as(nina).post("/oferta/nuevo/", form_payload(valid_from="2026-06-01", valid_until="2026-01-31"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "offer_service_valid_period" not in html
    message = "La fecha final de vigencia no puede ser anterior a la inicial."
    assert response.context["form"].errors == {"valid_until": [message]}
    assert f'<a href="#id_valid_until">Vigente hasta: {message}</a>' in _summary(html)


def test_it_lists_every_missing_field_of_the_service_form_at_the_top(client_as, nina):
    html = client_as(nina).post("/oferta/nuevo/", form_payload(name="", sectors=[])).content.decode()
    summary = _summary(html)
    assert 'href="#id_name"' in summary
    assert 'href="#id_sectors"' in summary and 'id="id_sectors"' in html  # the fieldset of checkboxes
    assert html.index("error-summary") < html.index("<form method=\"post\" novalidate>")


def test_it_summarises_the_need_form_errors_linking_to_each_field(client_as, alice):
    html = client_as(alice).post("/solicitudes/nueva/", {"submit": "1", "topic": ""}).content.decode()
    summary = _summary(html)
    assert 'href="#id_topic"' in summary
    assert 'href="#id_capacity"' in summary and 'id="id_capacity"' in html  # radios: the fieldset


def test_it_summarises_the_organisation_form_errors(client_as, alice):
    url = f"/cuentas/organizaciones/{alice.organization_id}/editar/"
    html = client_as(alice).post(url, {"email": "no-es-un-correo", "phone": "", "address": ""}).content.decode()
    assert 'href="#id_email"' in _summary(html)


def test_the_validity_constraint_speaks_spanish_on_its_field_everywhere():
    import datetime

    from django.core.exceptions import ValidationError

    from tests.offer.factories import ServiceFactory

    service = ServiceFactory.build(valid_from=datetime.date(2026, 6, 1), valid_until=datetime.date(2026, 1, 31))
    with pytest.raises(ValidationError) as caught:
        service.validate_constraints()
    assert caught.value.message_dict == {
        "valid_until": ["La fecha final de vigencia no puede ser anterior a la inicial."]
    }
