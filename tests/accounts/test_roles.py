"""Who may give which role. One rule (`permissions.role_grant_problem`) for every way people are
created: the *Importar personas* page, the `create_user` and `import_users` commands, and the API
(which has no way to write people or roles at all)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from apps.accounts.models import User
from apps.accounts.permissions import can_grant_role
from tests.factories import PASSWORD, org

pytestmark = pytest.mark.django_db

NEW = "nueva@example.gov.co"


def _csv(role: str, code: str) -> bytes:
    return f"email,organization,role,full_name\n{NEW},{code},{role},Nueva\n".encode()


# persona → (role, organisation) → may they create it?
GRANTS = [
    ("alice", "editor", "25290", False),  # editors onboard nobody
    ("dora", "editor", "25290", False),
    ("nina", "editor", "MinVivienda", False),
    ("nina", "admin", "DNP", False),
    ("carla", "editor", "25290", True),
    ("carla", "coordinator", "DNP", True),
    ("carla", "coordinator", "25", False),  # coordinators are DNP people
    ("carla", "admin", "DNP", False),  # only admins make admins
    ("carla", "admin", "25", False),
    ("adam", "editor", "MinVivienda", True),
    ("adam", "coordinator", "DNP", True),
    ("adam", "admin", "DNP", True),
    ("adam", "admin", "25", False),  # admins are DNP people
    ("adam", "admin", "MinVivienda", False),
]


@pytest.mark.parametrize(("persona", "role", "code", "allowed"), GRANTS)
def test_the_role_rule(request, persona, role, code, allowed):
    assert can_grant_role(request.getfixturevalue(persona), role, org(code)) is allowed


@pytest.mark.parametrize(("persona", "role", "code", "allowed"), GRANTS)
def test_the_import_page_follows_the_role_rule(request, client_as, persona, role, code, allowed):
    client = client_as(request.getfixturevalue(persona))
    response = client.post("/cuentas/personas/importar/", {"file": SimpleUploadedFile("p.csv", _csv(role, code))})
    created = User.objects.filter(email=NEW).first()
    if allowed:
        assert response.status_code == 302
        assert created.role == role
        assert created.is_superuser is created.is_staff is (role == "admin")
    else:
        assert response.status_code in (200, 403)  # 200: the row is reported; 403: editors
        assert created is None


def test_a_coordinator_cannot_import_a_superuser_that_opens_the_admin(client_as, carla):
    client = client_as(carla)
    response = client.post("/cuentas/personas/importar/", {"file": SimpleUploadedFile("p.csv", _csv("admin", "25"))})
    assert "Solo un administrador puede dar el rol de administrador." in response.content.decode()
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()


@pytest.mark.parametrize(
    ("role", "code", "allowed"),
    [("editor", "25", True), ("coordinator", "DNP", True), ("coordinator", "25", False), ("admin", "DNP", True),
     ("admin", "25", False), ("admin", "MinVivienda", False)],
)
def test_the_commands_act_as_the_system_and_still_keep_admins_in_the_dnp(tmp_path, role, code, allowed):
    path = tmp_path / "p.csv"
    path.write_bytes(_csv(role, code))
    for run in (
        lambda: call_command("create_user", email=NEW, password=PASSWORD, organization=code, role=role),
        lambda: call_command("import_users", str(path)),
    ):
        if allowed:
            run()
            assert User.objects.get(email=NEW).role == role
            User.objects.filter(email=NEW).delete()
        else:
            with pytest.raises(CommandError):
                run()
            assert not User.objects.filter(email=NEW).exists()


@pytest.mark.parametrize("persona", ["alice", "dora", "nina", "carla"])
def test_no_api_path_changes_a_role_or_opens_the_admin(request, api_as, persona):
    user = request.getfixturevalue(persona)
    before = (user.role, user.organization_id)
    api = api_as(user)
    escalate = {"role": "admin", "is_staff": True, "is_superuser": True, "organization": org("DNP").pk}
    assert api.patch("/api/v1/me/", escalate, format="json").status_code == 405
    assert api.put("/api/v1/me/", escalate, format="json").status_code == 405
    api.patch(f"/api/v1/organizations/{user.organization_id}/", {**escalate, "kind": "dnp"}, format="json")
    user.refresh_from_db()
    assert (user.role, user.organization_id, user.is_staff, user.is_superuser) == (*before, False, False)
    assert api.post("/api/v1/users/", {"email": NEW, "role": "admin"}, format="json").status_code == 404
    assert not User.objects.filter(email=NEW).exists()
