"""How people prove who they are: the e-mail as login (any spelling) and axes keyed on it."""

from django.conf import settings
from django.http import HttpRequest


def normalize_login(value: object) -> str:
    """The one spelling of a login e-mail: trimmed and lower-case, as `user_create` stores it."""
    return str(value or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: failures and lockouts count per address, not per
    spelling, so `LOCK1@ANM.GOV.CO` is as locked as `lock1@anm.gov.co`."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalize_login(credentials.get(field))
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalize_login(data.get(field))
