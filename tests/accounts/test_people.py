import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from apps.accounts.models import Organization, User
from apps.accounts.services import users_import_csv
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "kind", "name"),
    [
        ("25001", "municipality", "Alcaldía de Agua de Dios (Cundinamarca)"),
        ("25", "department", "Gobernación de Cundinamarca"),
        ("MinVivienda", "national_entity", "Ministerio de Vivienda, Ciudad y Territorio"),
        ("DNP", "dnp", "DNP - Coordinación de la Agenda ATT"),
    ],
)
def test_create_user_command_resolves_every_kind_of_organization(code, kind, name):
    call_command("create_user", email="Nueva@Example.gov.co", password=PASSWORD, organization=code, role="editor")
    user = User.objects.get(email="nueva@example.gov.co")
    assert (user.organization.kind, user.organization.name) == (kind, name)
    assert user.check_password(PASSWORD)


def test_create_user_command_explains_an_unknown_organization_in_spanish():
    with pytest.raises(CommandError, match="no es un código DIVIPOLA"):
        call_command("create_user", email="x@example.gov.co", password=PASSWORD, organization="XYZ", role="editor")
    assert not User.objects.exists()


def test_only_dnp_people_can_be_coordinators():
    with pytest.raises(CommandError, match="coordinación DNP"):
        call_command("create_user", email="x@example.gov.co", password=PASSWORD, organization="25", role="coordinator")


def test_admins_get_the_django_admin():
    call_command("create_user", email="root@dnp.gov.co", password=PASSWORD, organization="DNP", role="admin")
    user = User.objects.get(email="root@dnp.gov.co")
    assert user.is_staff and user.is_superuser and user.is_coordinator


CSV_OK = (
    b"email,organization,role,full_name\n"
    b"uno@tunja.gov.co,15001,editor,Uno\n"
    b"dos@boyaca.gov.co,15,editor,Dos\n"
    b"tres@dnp.gov.co,DNP,coordinator,Tres\n"
)


def test_users_import_creates_everyone_when_every_row_is_right():
    result = users_import_csv(actor=None, content=CSV_OK)
    assert result.errors == []
    emails = set(User.objects.values_list("email", flat=True))
    assert emails == {"uno@tunja.gov.co", "dos@boyaca.gov.co", "tres@dnp.gov.co"}
    assert not User.objects.get(email="uno@tunja.gov.co").has_usable_password()


def test_users_import_creates_nobody_and_reports_every_wrong_line():
    bad = CSV_OK + b"no-es-correo,15001,editor,X\ncuatro@x.gov.co,99999,editor,Y\nuno@tunja.gov.co,15,editor,Z\n"
    result = users_import_csv(actor=None, content=bad)
    assert [line for line, _reason in result.errors] == [5, 6, 7]
    assert "municipio con código DIVIPOLA 99999" in result.errors[1][1]
    assert "repetido" in result.errors[2][1]
    assert not User.objects.exists()


def test_users_import_dry_run_writes_nothing():
    result = users_import_csv(actor=None, content=CSV_OK, dry_run=True)
    assert len(result.created) == 3 and result.errors == []
    assert not User.objects.exists()


def test_users_import_names_missing_columns():
    result = users_import_csv(actor=None, content=b"correo,rol\nx@y.co,editor\n")
    assert result.errors == [(1, "Faltan columnas: email, organization, role.")]


def test_users_import_page_is_for_coordinators_only(client_as, alice, carla):
    assert client_as(alice).get("/cuentas/personas/importar/").status_code == 403
    client = client_as(carla)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/cuentas/personas/importar/", {"file": SimpleUploadedFile("u.csv", CSV_OK)})
    assert response.status_code == 302
    assert User.objects.filter(email="uno@tunja.gov.co").exists()


def test_people_log_in_with_their_email(client, alice):
    response = client.post("/cuentas/ingresar/", {"username": "ALICE@fusagasuga.gov.co", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/inicio/").status_code == 200


def test_password_guessing_locks_the_account_for_that_address(client, alice):
    for _attempt in range(5):
        client.post("/cuentas/ingresar/", {"username": alice.email, "password": "mala"})
    response = client.post("/cuentas/ingresar/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Demasiados intentos" in response.content.decode()


def test_password_reset_sends_a_link_by_email(client, alice):
    response = client.post("/cuentas/contrasena/olvido/", {"email": alice.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/cuentas/contrasena/nueva/" in mail.outbox[0].body
    assert mail.outbox[0].to == [alice.email]


def test_every_change_to_an_organization_is_in_its_history(client_as, alice):
    org = alice.organization
    form = {"email": "contacto@fusa.gov.co", "phone": "1", "address": ""}
    client_as(alice).post(f"/cuentas/organizaciones/{org.pk}/editar/", form)
    org.refresh_from_db()
    assert org.email == "contacto@fusa.gov.co"
    last = org.history.first()
    assert last.history_user == alice and last.email == "contacto@fusa.gov.co"
    assert Organization.history.filter(id=org.pk).count() == 2
