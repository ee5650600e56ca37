import gzip

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from apps.core.access import RULES

pytestmark = pytest.mark.django_db


def test_home_speaks_spanish_and_leads_each_kind_of_user(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    html = gzip.decompress(response.content).decode()
    assert 'lang="es-co"' in html
    for lead in ("Soy de una alcaldía o gobernación", "Soy de una entidad nacional", "Coordino en el DNP"):
        assert lead in html
    # Light for rural connections: the page, its CSS and htmx together under 100 KB over the wire.
    assert len(response.content) < 100_000


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/municipalities/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def _walk(resolver, prefix="", route=""):
    """Yield (namespaced name, full route) for every named URL outside the Django admin."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry, ns, route + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", route + str(entry.pattern)


def test_every_url_has_an_access_rule():
    names = {name for name, _pattern in _walk(get_resolver())}
    names = {n for n in names if not n.endswith("-format") and "djdt" not in n}
    assert sorted(names - RULES.keys()) == []


def _example_path(route: str) -> str:
    """A concrete path for a route, with example values in its arguments."""
    route = route.lstrip("^").rstrip("$")
    while "<" in route:
        start = route.index("<")
        stop = route.index(">", start)
        value = "1" if route[start:stop].startswith("<int:") else "x"
        route = route[:start] + value + route[stop + 1:]
    return "/" + route


def test_no_private_url_opens_for_an_anonymous_visitor(client):

    private = {name for name, rule in RULES.items() if rule != "public"}
    for name, pattern in _walk(get_resolver()):
        if name not in private:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # the URL takes arguments: fill them with examples
            url = _example_path(pattern)
        status = client.get(url).status_code
        assert status in (302, 401, 403, 404, 405), f"{name} ({url}) answered {status} to anonymous"
