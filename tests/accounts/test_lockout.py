"""Password guessing locks the *address*, however it is spelled, on the login page and on the
token endpoint alike; a locked address cannot sign in on the other door either."""

import pytest

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/cuentas/ingresar/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def lock1(db):
    return UserFactory(email="lock1@anm.gov.co")


def _guess_on_page(client, username):
    for _attempt in range(5):
        client.post(LOGIN, {"username": username, "password": "mala"})


def _guess_on_token(api, username):
    for _attempt in range(5):
        api.post(TOKEN, {"username": username, "password": "mala"})


@pytest.mark.parametrize("spelling", ["LOCK1@ANM.GOV.CO", "Lock1@Anm.Gov.Co", " lock1@anm.gov.co "])
def test_a_locked_address_stays_locked_in_any_spelling_on_the_login_page(client, lock1, spelling):
    _guess_on_page(client, "lock1@anm.gov.co")
    response = client.post(LOGIN, {"username": spelling, "password": PASSWORD})
    assert response.status_code == 429
    assert "Demasiados intentos" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guesses_in_mixed_spellings_add_up_to_one_lock(client, lock1):
    spellings = ["lock1@anm.gov.co", "LOCK1@anm.gov.co", "lock1@ANM.gov.co", "Lock1@anm.gov.co", "LOCK1@ANM.GOV.CO"]
    for spelling in spellings:
        client.post(LOGIN, {"username": spelling, "password": "mala"})
    assert client.post(LOGIN, {"username": "lock1@anm.gov.co", "password": PASSWORD}).status_code == 429


@pytest.mark.parametrize("spelling", ["LOCK1@ANM.GOV.CO", "lock1@anm.gov.co"])
def test_a_locked_address_gets_no_token_in_any_spelling(api, lock1, spelling):
    _guess_on_token(api, "lock1@anm.gov.co")
    response = api.post(TOKEN, {"username": spelling, "password": PASSWORD})
    assert response.status_code == 429
    assert "Demasiados intentos" in response.json()["detail"]
    assert "token" not in response.json()


def test_guessing_on_the_token_endpoint_locks_the_login_page_too(client, api, lock1):
    _guess_on_token(api, "LOCK1@anm.gov.co")
    assert client.post(LOGIN, {"username": "lock1@anm.gov.co", "password": PASSWORD}).status_code == 429


def test_guessing_on_the_login_page_locks_the_token_endpoint_too(client, api, lock1):
    _guess_on_page(client, "lock1@ANM.gov.co")
    assert api.post(TOKEN, {"username": "Lock1@anm.gov.co", "password": PASSWORD}).status_code == 429


def test_another_address_is_not_locked(client, lock1):
    other = UserFactory(email="other@anm.gov.co")
    _guess_on_page(client, "LOCK1@ANM.GOV.CO")
    assert client.post(LOGIN, {"username": other.email.upper(), "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("spelling", ["LOCK1@ANM.GOV.CO", " Lock1@Anm.Gov.Co "])
def test_sign_in_ignores_case_on_both_doors(client, api, lock1, spelling):
    assert client.post(LOGIN, {"username": spelling, "password": PASSWORD}).status_code == 302
    assert api.post(TOKEN, {"username": spelling, "password": PASSWORD}).status_code == 200


def test_a_200_kb_username_is_a_wrong_password_not_a_500(client, api, lock1):
    # SQLite refuses a LIKE pattern that long (the iexact look-up, once the table has a row to
    # compare) and PostgreSQL an axes row with a username over its 255 characters.
    username = "y" * 200_000
    response = client.post(LOGIN, {"username": username, "password": "mala"})
    assert response.status_code == 200 and response.context["form"].errors
    assert api.post(TOKEN, {"username": username, "password": "mala"}).status_code == 400
