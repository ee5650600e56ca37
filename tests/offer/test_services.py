import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.offer.models import Service
from apps.offer.services import service_create, service_publish, service_transition, service_update
from apps.territory.models import Department, Sector
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _data(**overrides):
    return {
        "name": "Catastro multipropósito", "summary": "Ruta para gestores catastrales.", "capacities": ["tecnica"],
        "assistance_type": "acompanamiento", "modality": "virtual", "audience": ["municipios"],
        "nationwide": True, "contact_email": "att@minvivienda.gov.co",
    } | overrides


def _sectors():
    return list(Sector.objects.filter(slug="hacienda"))


def test_it_creates_a_draft_of_the_editors_organisation_with_history(nina):
    service = service_create(user=nina, data=_data(), sectors=_sectors(), departments=[])
    assert service.status == Service.Status.DRAFT
    assert service.organization == nina.organization
    assert service.search_document.startswith("catastro multiproposito")
    assert service.history.first().history_user == nina


def test_it_refuses_municipal_editors(alice):
    with pytest.raises(PermissionDenied):
        service_create(user=alice, data=_data(), sectors=_sectors(), departments=[])


def test_it_explains_every_missing_piece_in_spanish(nina):
    with pytest.raises(ValidationError) as exc:
        service_create(user=nina, data=_data(capacities=[], audience=[], nationwide=False), sectors=[], departments=[])
    errors = exc.value.message_dict
    assert errors["sectors"] == ["Elija al menos un sector."]
    assert "capacidad" in errors["capacities"][0]
    assert "municipios, departamentos" in errors["audience"][0]
    assert "todo el país" in errors["departments"][0]


def test_it_rejects_a_validity_that_ends_before_it_starts(nina):
    import datetime as dt

    with pytest.raises(ValidationError) as exc:
        service_create(user=nina, data=_data(valid_from=dt.date(2026, 5, 1), valid_until=dt.date(2026, 1, 1)),
                       sectors=_sectors(), departments=[])
    assert "anterior a la inicial" in exc.value.message_dict["valid_until"][0]


def test_it_keeps_a_departments_services_inside_the_department(dora):
    service = service_create(user=dora, data=_data(nationwide=True), sectors=_sectors(), departments=[])
    assert service.nationwide is False
    assert list(service.departments.values_list("code", flat=True)) == ["25"]
    with pytest.raises(ValidationError):
        service_update(user=dora, service=service, data={}, departments=list(Department.objects.filter(code="05")))


def test_it_follows_the_transitions_table(nina):
    service = ServiceFactory(status=Service.Status.DRAFT)
    service = service_publish(user=nina, service=service)
    assert service.status == Service.Status.PUBLISHED and service.published_at is not None
    service = service_transition(user=nina, service=service, status=Service.Status.ARCHIVED)
    with pytest.raises(ValidationError, match="no puede pasar"):
        service_transition(user=nina, service=service, status=Service.Status.ARCHIVED)
    statuses = [h.status for h in service.history.order_by("history_date", "history_id")]
    # The factory's sector assignment adds a second draft row (m2m history).
    assert statuses[0] == "borrador" and statuses[-2:] == ["publicado", "archivado"]


def test_it_refuses_to_publish_an_expired_service(nina):
    import datetime as dt

    service = ServiceFactory(status=Service.Status.DRAFT, valid_until=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="vigencia"):
        service_publish(user=nina, service=service)


def test_it_lets_only_the_owner_write(nico, carla):
    service = ServiceFactory()
    for person in (nico, carla):
        with pytest.raises(PermissionDenied):
            service_update(user=person, service=service, data={"name": "Otro"})
        with pytest.raises(PermissionDenied):
            service_publish(user=person, service=service)


def test_it_saves_only_changed_fields_and_records_sector_changes(nina, django_assert_max_num_queries):
    service = ServiceFactory()
    before = service.history.count()
    service_update(user=nina, service=service, data={"name": "Nuevo nombre"},
                   sectors=list(Sector.objects.filter(slug__in=["vivienda", "ambiente"])))
    service.refresh_from_db()
    assert service.name == "Nuevo nombre"
    assert "nuevo nombre" in service.search_document
    assert sorted(service.sectors.values_list("slug", flat=True)) == ["ambiente", "vivienda"]
    assert service.history.count() > before
    assert service.history.first().history_user == nina
