"""API tokens expire after settings.API_TOKEN_TTL, die when their owner changes or resets the
password, and their owner can revoke them (API and page)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Otra-Clave-Larga-2027"


def _token(api, user) -> str:
    response = api.post("/api/v1/auth/token/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def _me(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/v1/me/")
    api.credentials()
    return response


def _age(key, days):
    Token.objects.filter(key=key).update(created=Token.objects.get(key=key).created - timedelta(days=days))


def test_a_fresh_token_works_and_says_when_it_expires(api, alice):
    response = api.post("/api/v1/auth/token/", {"username": alice.email, "password": PASSWORD})
    assert response.json()["expires"]
    assert _me(api, response.json()["token"]).status_code == 200


def test_an_expired_token_answers_401_in_spanish(api, alice, settings):
    settings.API_TOKEN_TTL = timedelta(days=30)
    key = _token(api, alice)
    _age(key, 29)
    assert _me(api, key).status_code == 200
    _age(key, 2)
    response = _me(api, key)
    assert response.status_code == 401
    assert "El token venció" in response.json()["detail"]


def test_the_time_to_live_is_a_setting(api, alice, settings):
    key = _token(api, alice)
    _age(key, 2)
    settings.API_TOKEN_TTL = timedelta(days=1)
    assert _me(api, key).status_code == 401


def test_asking_again_after_expiry_gives_a_new_token(api, alice):
    old = _token(api, alice)
    assert _token(api, alice) == old  # still valid: the same one
    _age(old, 31)
    new = _token(api, alice)
    assert new != old
    assert _me(api, new).status_code == 200
    assert _me(api, old).status_code == 401


def test_changing_the_password_ends_the_token(api, client_as, alice):
    key = _token(api, alice)
    response = client_as(alice).post("/cuentas/contrasena/cambiar/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert _me(api, key).status_code == 401
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_resetting_the_password_ends_the_token(api, client, alice):
    key = _token(api, alice)
    client.post("/cuentas/contrasena/olvido/", {"email": alice.email})
    link = re.search(r"/cuentas/contrasena/nueva/\S+/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _me(api, key).status_code == 401


def test_an_admin_setting_the_password_ends_the_token(api, client_as, adam, alice):
    key = _token(api, alice)
    response = client_as(adam).post(f"/admin/accounts/user/{alice.pk}/password/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
    })
    assert response.status_code == 302
    assert _me(api, key).status_code == 401


def test_the_owner_revokes_the_token_through_the_api(api, alice):
    key = _token(api, alice)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/v1/auth/token/revoke/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401


def test_revoking_needs_a_signed_in_caller(api, alice):
    key = _token(api, alice)
    assert api.post("/api/v1/auth/token/revoke/").status_code == 401
    assert _me(api, key).status_code == 200


def test_one_person_revoking_leaves_the_others_tokens(api, alice, bob):
    alices, bobs = _token(api, alice), _token(api, bob)
    api.credentials(HTTP_AUTHORIZATION=f"Token {bobs}")
    api.post("/api/v1/auth/token/revoke/")
    assert _me(api, alices).status_code == 200


def test_the_owner_revokes_the_token_on_their_page(api, client_as, alice):
    key = _token(api, alice)
    client = client_as(alice)
    page = client.get("/cuentas/contrasena/cambiar/").content.decode()
    assert "Revocar token" in page and "vence el" in page
    response = client.post("/cuentas/token/revocar/", follow=True)
    assert "Token de la API revocado" in response.content.decode()
    assert "No tiene un token de la API." in response.content.decode()
    assert _me(api, key).status_code == 401


def test_the_revoke_page_takes_only_posts_from_signed_in_people(client, client_as, alice):
    assert client.post("/cuentas/token/revocar/").status_code == 302  # to the login page
    assert client_as(alice).get("/cuentas/token/revocar/").status_code == 405
