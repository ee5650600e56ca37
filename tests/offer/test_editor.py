import pytest

from apps.offer.models import Service
from tests.factories import org
from tests.offer.factories import ServiceFactory, form_payload

pytestmark = pytest.mark.django_db


def test_an_entity_editor_creates_then_publishes_a_service(client_as, nina):
    client = client_as(nina)
    response = client.post("/oferta/nuevo/", form_payload())
    service = Service.objects.get()
    assert response.status_code == 302 and response.url == f"/oferta/{service.pk}/"
    assert service.status == Service.Status.DRAFT
    assert service.topic_list == ["acueducto", "agua"]
    response = client.post(f"/oferta/{service.pk}/publicar/", follow=True)
    assert "Servicio publicado" in response.content.decode()
    service.refresh_from_db()
    assert service.status == Service.Status.PUBLISHED


def test_it_explains_what_is_missing_in_spanish(client_as, nina):
    response = client_as(nina).post("/oferta/nuevo/", form_payload(
        name="", sectors=None, capacities=None, nationwide=None, contact_email="no-es-correo",
        links="mi guía | ftp://x",
    ))
    html = response.content.decode()
    assert response.status_code == 200
    for message in ("Escriba el nombre del servicio.", "Elija al menos un sector.",
                    "Elija al menos una capacidad que el servicio fortalece.", "Escriba un correo válido",
                    "La línea 1 no tiene un enlace válido", "Revise los campos marcados"):
        assert message in html
    assert not Service.objects.exists()


def test_it_asks_for_departments_when_not_nationwide(client_as, nina):
    response = client_as(nina).post("/oferta/nuevo/", form_payload(nationwide=None))
    assert "Elija al menos un departamento" in response.content.decode()
    response = client_as(nina).post("/oferta/nuevo/", form_payload(nationwide=None, departments=["25", "05"]))
    assert response.status_code == 302
    assert sorted(Service.objects.get().departments.values_list("code", flat=True)) == ["05", "25"]


def test_a_department_editor_does_not_choose_where(client_as, dora):
    form = client_as(dora).get("/oferta/nuevo/").context["form"]
    assert "departments" not in form.fields and "nationwide" not in form.fields
    client_as(dora).post("/oferta/nuevo/", form_payload(nationwide=None))
    service = Service.objects.get()
    assert service.nationwide is False
    assert list(service.departments.values_list("code", flat=True)) == ["25"]


def test_the_owner_edits_and_archives(client_as, nina):
    service = ServiceFactory(name="Antes")
    client = client_as(nina)
    assert client.post(f"/oferta/{service.pk}/editar/", form_payload(name="Después")).status_code == 302
    client.post(f"/oferta/{service.pk}/archivar/")
    service.refresh_from_db()
    assert (service.name, service.status) == ("Después", Service.Status.ARCHIVED)
    html = client.get(f"/oferta/{service.pk}/").content.decode()
    assert "Historial de cambios" in html and "Archivado" in html


def test_my_services_lists_every_status_of_my_organisation(client_as, nina):
    ServiceFactory(name="Mi borrador", status="borrador")
    ServiceFactory(name="Mi archivado", status="archivado")
    ServiceFactory(name="De la ANM", organization=org("ANM"))
    html = client_as(nina).get("/oferta/mis-servicios/").content.decode()
    assert "Mi borrador" in html and "Mi archivado" in html and "De la ANM" not in html


def test_my_services_links_each_draft_and_only_drafts_to_its_delete_page(client_as, nina):
    draft = ServiceFactory(name="Mi borrador", status="borrador")
    published = ServiceFactory(name="Publicado", status="publicado")
    client = client_as(nina)
    html = client.get("/oferta/mis-servicios/").content.decode()
    assert f'href="/oferta/{draft.pk}/eliminar/"' in html
    assert f'href="/oferta/{published.pk}/eliminar/"' not in html
    client.post(f"/oferta/{draft.pk}/eliminar/")
    assert not Service.objects.filter(pk=draft.pk).exists()


def test_the_dashboard_offers_the_editor_tools_only_to_offering_organisations(client_as, nina, alice):
    assert "Mis servicios" in client_as(nina).get("/inicio/").content.decode()
    assert "Mis servicios" not in client_as(alice).get("/inicio/").content.decode()


def test_the_admin_lists_services_with_their_history(client_as, adam):
    service = ServiceFactory()
    client = client_as(adam)
    assert client.get("/admin/offer/service/").status_code == 200
    assert client.get(f"/admin/offer/service/{service.pk}/history/").status_code == 200
