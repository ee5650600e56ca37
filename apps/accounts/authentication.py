"""How people prove who they are: the e-mail as login (any spelling), axes keyed on it, and API
tokens that expire."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def normalize_login(value: object) -> str:
    """The one spelling of a login e-mail: trimmed and lower-case, as `user_create` stores it."""
    return str(value or "").strip().lower()


# axes' AccessAttempt.username column: a longer guess crashed PostgreSQL (no address is that long,
# so cutting it never merges two real people's counts).
AXES_USERNAME_MAX = 255


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: failures and lockouts count per address, not per
    spelling, so `LOCK1@ANM.GOV.CO` is as locked as `lock1@anm.gov.co`."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalize_login(credentials.get(field))[:AXES_USERNAME_MAX]
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalize_login(data.get(field))[:AXES_USERNAME_MAX]


def token_expires_at(token: Token) -> datetime:
    return token.created + settings.API_TOKEN_TTL


def token_is_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than settings.API_TOKEN_TTL (401).

    Tokens also die when their owner changes or resets the password (`services.user_password_set`)
    or revokes them (`services.token_revoke`): both delete the row.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise AuthenticationFailed(_("El token venció: pida uno nuevo en /api/v1/auth/token/."))
        return user, token
