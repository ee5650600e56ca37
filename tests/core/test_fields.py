"""Chosen ids past what a database integer holds are a field error, not a 500 (SQLite's OverflowError)."""

import pytest
from django.core.exceptions import ValidationError

from apps.agenda.models import Event
from apps.core.fields import ModelIdsField
from apps.offer.models import Service
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


def test_an_id_past_64_bits_is_not_one_of_the_choices():
    service = ServiceFactory()
    field = ModelIdsField(queryset=Service.objects.all())
    assert list(field.clean([str(service.pk)])) == [service]
    with pytest.raises(ValidationError) as raised:
        field.clean([str(service.pk), HUGE])
    assert raised.value.code == "invalid_choice"


def test_proposing_a_jornada_with_a_huge_provider_or_service_id_answers_the_form(client_as, carla, nina):
    from tests.agenda.test_pages import _form

    ServiceFactory(organization=org("MinVivienda"))
    for persona, data in ((carla, {"providers": [HUGE]}), (nina, {"services": [HUGE]})):
        response = client_as(persona).post("/agenda/jornadas/nueva/", _form(**data))
        assert response.status_code == 200
    assert not Event.objects.exists()
