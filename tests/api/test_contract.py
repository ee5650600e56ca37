"""The API keeps the word of its schema: bad ids are 404s in JSON, nullable fields say so, and the
docs give every operation a summary, a capability tag and whether it is public."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from apps.core.api import exception_handler
from tests.demand.factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


@pytest.mark.parametrize("path", [
    "/api/v1/offers/null,null/",
    "/api/v1/offers/null,null/publish/",
    "/api/v1/requests/null,null/",
    "/api/v1/requests/x/messages/",
    "/api/v1/organizations/null,null/",
    "/api/v1/entities/abc/",
    "/api/v1/departments/Cundinamarca/",
    "/api/v1/municipalities/25-290/",
])
def test_a_malformed_id_is_a_json_404_not_a_server_error(api_as, carla, path):
    response = api_as(carla).get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_an_anonymous_call_to_a_private_endpoint_is_401_with_the_scheme_to_use(api):
    response = api.get("/api/v1/requests/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_a_django_validation_error_becomes_a_400_with_field_messages():
    response = exception_handler(DjangoValidationError({"name": ["Falta el nombre."]}), {})
    assert response.status_code == 400
    assert response.data == {"name": ["Falta el nombre."]}
    response = exception_handler(DjangoValidationError("No se puede."), {})
    assert response.data == {"non_field_errors": ["No se puede."]}


def test_me_includes_the_member_count_the_schema_promises(api_as, alice):
    organization = api_as(alice).get("/api/v1/me/").json()["organization"]
    assert organization["member_count"] == 1
    assert organization["national_entity"] is None


def test_the_schema_says_which_organization_links_may_be_null(schema):
    fields = schema["components"]["schemas"]["Organization"]["properties"]
    for name in ("department", "municipality", "national_entity"):
        assert fields[name].get("nullable") is True, name


def test_the_messages_of_a_need_are_a_plain_list_as_documented(api_as, alice, schema):
    need = NeedFactory()
    body = api_as(alice).get(f"/api/v1/requests/{need.pk}/messages/").json()
    assert body == []
    documented = schema["paths"]["/api/v1/requests/{id}/messages/"]["get"]["responses"]["200"]
    assert documented["content"]["application/json"]["schema"]["type"] == "array"


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_summary_and_one_capability_tag(schema):
    tags = {tag["name"] for tag in schema["tags"]}
    for name, operation in _operations(schema):
        assert operation.get("summary"), f"{name} has no summary"
        assert len(operation["tags"]) == 1 and operation["tags"][0] in tags, name


def test_each_capability_links_back_to_its_pages_on_the_site(schema, settings):
    assert schema["externalDocs"]["url"] == settings.SITE_URL + "/"
    offer = next(tag for tag in schema["tags"] if tag["name"] == "Oferta")
    assert offer["externalDocs"]["url"] == settings.SITE_URL + "/oferta/"


def test_public_operations_are_marked_and_match_what_anonymous_callers_get(schema, api):
    public = {name for name, operation in _operations(schema) if operation["x-public"]}
    assert "GET /api/v1/offers/" in public
    assert "GET /api/v1/municipalities/" in public
    assert "POST /api/v1/auth/token/" in public
    assert "POST /api/v1/offers/" not in public
    assert "GET /api/v1/requests/" not in public
    for name, operation in _operations(schema):
        marked = operation["description"].startswith("**Público**")
        assert marked == operation["x-public"], name
    for name in public:
        method, path = name.split(" ")
        if method == "GET" and "{" not in path:
            assert api.get(path).status_code == 200, name


def test_every_operation_documents_its_error_answers(schema):
    for name, operation in _operations(schema):
        assert {"400", "401", "403", "404", "429"} <= operation["responses"].keys(), name


def test_a_partial_update_of_an_organization_still_answers_every_documented_field(api_as, alice):
    organization = api_as(alice).get("/api/v1/me/").json()["organization"]
    response = api_as(alice).patch(f"/api/v1/organizations/{organization['id']}/", {"phone": "6015550000"},
                                   format="json")
    assert response.status_code == 200
    assert {"department", "municipality", "national_entity", "member_count"} <= response.json().keys()


def test_an_id_too_large_for_the_database_is_a_400_not_a_server_error(api_as, carla):
    response = api_as(carla).post("/api/v1/agenda/conflicts/merge/", {"events": [2**64, 1]}, format="json")
    assert response.status_code == 400


def test_a_single_object_answer_is_not_documented_as_a_list(schema):
    feed = schema["paths"]["/api/v1/agenda/feed/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert feed["schema"] == {"$ref": "#/components/schemas/Feed"}


def test_one_adapter_turns_service_refusals_into_api_errors():
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework import exceptions

    from apps.core.api import drf_error

    assert isinstance(drf_error(DjangoPermissionDenied("No.")), exceptions.PermissionDenied)
    assert drf_error(DjangoValidationError({"reason": ["Escriba el motivo."]})).detail == {
        "reason": ["Escriba el motivo."]}
    assert drf_error(DjangoValidationError("Fecha festiva.")).detail == {"detail": ["Fecha festiva."]}
    assert drf_error(ValueError("No se puede pasar de borrador a realizada.")).detail == {
        "detail": "No se puede pasar de borrador a realizada."}
