"""One list of service fields (offer.models.SERVICE_FIELDS) serves the form, the API and the spreadsheets."""

from apps.offer.api import ServiceInput, ServiceOutput
from apps.offer.forms import ServiceForm
from apps.offer.models import SERVICE_FIELDS, Service
from apps.offer.resources import ServiceExportResource, ServiceImportResource

# Set by the platform, never typed by an editor.
SYSTEM_FIELDS = {"id", "organization", "status", "published_at", "created_at", "updated_at", "search_document"}


def test_every_field_an_editor_writes_is_in_the_one_list():
    model_fields = {f.name for f in [*Service._meta.concrete_fields, *Service._meta.many_to_many]}
    assert model_fields - SYSTEM_FIELDS == set(SERVICE_FIELDS)


def test_the_form_the_api_and_the_spreadsheet_columns_use_it():
    assert list(ServiceForm.base_fields) == SERVICE_FIELDS
    assert list(ServiceInput().fields) == SERVICE_FIELDS
    assert set(SERVICE_FIELDS) <= set(ServiceOutput().fields)
    importer = ServiceImportResource(organization=None, user=None)
    assert [f for f in importer.fields if f in SERVICE_FIELDS] == SERVICE_FIELDS
    assert set(SERVICE_FIELDS) <= set(ServiceExportResource().fields)
