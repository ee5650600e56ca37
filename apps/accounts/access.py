"""Access rule for every URL name of this app: "public", "login" or "coordinator" (see apps/core/access.py)."""

RULES: dict[str, str] = {
    "accounts:login": "public",
    "accounts:logout": "public",
    "accounts:password_reset": "public",
    "accounts:password_reset_done": "public",
    "accounts:password_reset_confirm": "public",
    "accounts:password_reset_complete": "public",
    "accounts:password_change": "login",
    "accounts:password_change_done": "login",
    "accounts:token_revoke": "login",
    "accounts:my_organization": "login",
    "accounts:organization": "login",
    "accounts:organization_edit": "login",
    "accounts:users_import": "coordinator",
    "api:token": "public",
    "api:token_revoke": "login",
    "api:me": "login",
    "api:organization-list": "login",
    "api:organization-detail": "login",
}
