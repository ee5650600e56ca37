"""People imported without a password get an invitation to create it (through the platform
outbox, once the import commits); «¿Olvidó su contraseña?» also works for them; an admin can
send a fresh invitation."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts.models import User
from apps.accounts.services import user_invite, users_import_csv
from apps.core.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CSV = (
    b"email,organization,role,full_name,password\n"
    b"uno@tunja.gov.co,15001,editor,Uno Tunja,\n"
    b"dos@boyaca.gov.co,15,editor,Dos Boyaca,\n"
    b"tres@boyaca.gov.co,15,editor,Tres Boyaca,Clave-De-Tres-2026\n"
)
NEW_PASSWORD = "Mi-Clave-Nueva-2026"


def _link(message) -> str:
    return re.search(r"/cuentas/contrasena/nueva/\S+/\S+/", message.body).group(0)


def _set_password(client, link: str):
    form_url = client.get(link).url  # Django swaps the token in the URL for a session marker
    return client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_the_import_invites_each_person_without_a_password_once_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = users_import_csv(actor=None, content=CSV)
        assert mail.outbox == []  # nothing leaves before the import commits
    assert result.errors == [] and callbacks
    assert sorted(m.to[0] for m in mail.outbox) == ["dos@boyaca.gov.co", "uno@tunja.gov.co"]
    assert all("Cree su contraseña" in m.subject for m in mail.outbox)
    notices = Notification.objects.filter(kind="accounts.invitation")
    assert {n.recipient.email for n in notices} == {"uno@tunja.gov.co", "dos@boyaca.gov.co"}


def test_the_invited_person_creates_a_password_and_signs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        users_import_csv(actor=None, content=CSV)
    message = next(m for m in mail.outbox if m.to == ["uno@tunja.gov.co"])
    assert _set_password(client, _link(message)).status_code == 302
    signed_in = client.post("/cuentas/ingresar/", {"username": "uno@tunja.gov.co", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    # the link is spent: the password it was made for is gone
    assert "new_password1" not in client.get(_link(message), follow=True).content.decode()


@pytest.mark.parametrize("csv", [CSV + b"no-es-correo,15,editor,X,\n", CSV], ids=["wrong row", "dry run"])
def test_an_import_that_creates_nobody_invites_nobody(csv, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        users_import_csv(actor=None, content=csv, dry_run=csv == CSV)
    assert not User.objects.exists()
    assert not Notification.objects.exists() and mail.outbox == []


def test_the_import_page_sends_the_invitations(client_as, carla, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(carla).post("/cuentas/personas/importar/", {"file": SimpleUploadedFile("p.csv", CSV)})
    assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_inviting_twice_sends_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert user_invite(user=user) and user_invite(user=user)
    assert len(mail.outbox) == 1


def test_people_with_a_password_or_inactive_get_no_invitation(alice):
    inactive = UserFactory(is_active=False)
    inactive.set_unusable_password()
    inactive.save()
    assert user_invite(user=alice) is False
    assert user_invite(user=inactive) is False
    assert not Notification.objects.exists()


def test_forgot_password_also_reaches_people_who_never_had_one(client):
    user = UserFactory(email="sinclave@tunja.gov.co")
    user.set_unusable_password()
    user.save()
    client.post("/cuentas/contrasena/olvido/", {"email": "SinClave@Tunja.gov.co"})
    assert [m.to for m in mail.outbox] == [["sinclave@tunja.gov.co"]]
    assert _set_password(client, _link(mail.outbox[0])).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_admin_sends_a_fresh_invitation_and_the_old_link_stops_working(
    client_as, adam, alice, django_capture_on_commit_callbacks
):
    uno = UserFactory(email="uno@tunja.gov.co")
    uno.set_unusable_password()
    uno.save()
    # The link of an earlier invitation (made here: the outbox batches all the rows of the test's one
    # transaction into its first on_commit callback, so a second capture would miss them).
    uid = urlsafe_base64_encode(force_bytes(uno.pk))
    first = reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(uno)])
    assert "new_password1" in Client().get(first, follow=True).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(adam).post("/admin/accounts/user/", {
            "action": "send_invitation", "_selected_action": [uno.pk, alice.pk],
        }, follow=True)
    page = response.content.decode()
    assert "Se envió 1 invitación." in page
    assert "1 persona ya tiene contraseña o está inactiva" in page
    assert [m.to for m in mail.outbox] == [[uno.email]]
    assert _link(mail.outbox[0]) != first
    client = Client()
    assert "new_password1" not in client.get(first, follow=True).content.decode()
    assert _set_password(client, _link(mail.outbox[0])).status_code == 302
