"""schemathesis against the project's own OpenAPI schema, in-process (WSGI): no server errors and
no response that contradicts the schema, for an anonymous caller, a DNP coordinator's token and a
municipal editor's token. Bounded and derandomised, so CI runs the same cases every time and the
module stays near two minutes on two cores: the anonymous pass adds schemathesis' coverage phase
(boundary and malformed values for every parameter: where `/offers/null,null/` was found), the
signed-in passes generate valid-looking requests only (coverage there costs five times as much)."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = {"max_examples": 5, "derandomize": True, "database": None, "deadline": None,
           "suppress_health_check": list(HealthCheck)}
WITH_COVERAGE = settings(**BOUNDED)
GENERATED_ONLY = settings(**BOUNDED, phases=[Phase.generate])

# Loaded once, at collection, from the schema the site serves (no database needed to build it).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
pytestmark = pytest.mark.usefixtures("api_setup")

# The in-process client does not undo GZipMiddleware: ask for plain bodies.
PLAIN = {"Accept-Encoding": "identity"}


@schema.parametrize()
@WITH_COVERAGE
def test_anonymous(case):
    case.call_and_validate(headers=PLAIN, checks=CHECKS)


@schema.parametrize()
@GENERATED_ONLY
def test_coordinator(case, coordinator_token):
    case.call_and_validate(headers={**PLAIN, "Authorization": f"Token {coordinator_token}"}, checks=CHECKS)


@schema.parametrize()
@GENERATED_ONLY
def test_municipal_editor(case, editor_token):
    case.call_and_validate(headers={**PLAIN, "Authorization": f"Token {editor_token}"}, checks=CHECKS)
