"""An editor reads and writes only what belongs to their organisation (and, for a department,
its municipalities). Other organisations answer 404, the same as missing ones."""

import pytest

from tests.factories import org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "target", "expected"),
    [
        ("dora", "05", 404),  # Cundinamarca's editor: nothing of Antioquia
        ("dora", "05001", 404),
        ("dora", "25", 200),
        ("dora", "25290", 200),  # a department sees its municipalities
        ("alice", "25290", 200),
        ("alice", "25001", 404),  # a municipality sees only itself
        ("alice", "25", 404),
        ("bob", "25290", 404),
        ("nina", "ANM", 404),
        ("nina", "MinVivienda", 200),
        ("carla", "05", 200),  # coordinators see everything
        ("carla", "ANM", 200),
    ],
)
def test_organization_page_and_api_are_scoped(request, client_as, api_as, persona, target, expected):
    user = request.getfixturevalue(persona)
    target_org = org(target)
    assert client_as(user).get(f"/cuentas/organizaciones/{target_org.pk}/").status_code == expected
    assert api_as(user).get(f"/api/v1/organizations/{target_org.pk}/").status_code == expected


def test_cundinamarca_cannot_change_antioquia_through_pages_or_api(client_as, api_as, dora, dario):
    antioquia = dario.organization
    page = client_as(dora).post(f"/cuentas/organizaciones/{antioquia.pk}/editar/", {"email": "hack@x.co"})
    api = api_as(dora).patch(f"/api/v1/organizations/{antioquia.pk}/", {"email": "hack@x.co"}, format="json")
    assert (page.status_code, api.status_code) == (404, 404)
    antioquia.refresh_from_db()
    assert antioquia.email == ""


def test_a_department_reads_but_does_not_edit_its_municipalities(api_as, dora, alice):
    fusa = alice.organization
    response = api_as(dora).patch(f"/api/v1/organizations/{fusa.pk}/", {"email": "x@y.co"}, format="json")
    assert response.status_code == 404
    fusa.refresh_from_db()
    assert fusa.email == ""


def test_an_editor_updates_their_own_contact_through_the_api(api_as, dora):
    response = api_as(dora).patch(f"/api/v1/organizations/{dora.organization_id}/", {"phone": "601 555"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] == "601 555"


def test_organization_list_holds_only_what_the_editor_may_see(api_as, dora, alice, bob, dario):
    names = {o["name"] for o in api_as(dora).get("/api/v1/organizations/").json()["results"]}
    assert names == {"Gobernación de Cundinamarca", "Alcaldía de Fusagasugá (Cundinamarca)"}


def test_anonymous_gets_nothing_private(api, client, alice):
    assert api.get("/api/v1/organizations/").status_code in (401, 403)
    assert api.get("/api/v1/me/").status_code in (401, 403)
    assert client.get(f"/cuentas/organizaciones/{alice.organization_id}/").status_code == 302


def test_token_authentication_works_for_scripts(api, alice):
    from tests.factories import PASSWORD

    token = api.post("/api/v1/auth/token/", {"username": alice.email, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["organization"]["municipality"] == "25290"
