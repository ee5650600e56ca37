"""Every URL name and who may open it. A test walks the URL conf and fails on any name that is
missing here, and on any non-public URL that an anonymous visitor can open.

PUBLIC: anyone. LOGIN: any signed-in person (the view then scopes per object).
COORDINATOR: DNP coordinators and admins. Each capability app lists its own in `apps/<app>/access.py`.
"""

from importlib import import_module

PUBLIC = {
    "core:home", "core:healthz", "core:about", "favicon",
    "accounts:login", "accounts:logout", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "territory:departments", "territory:department", "territory:municipality",
    "territory:municipality_suggest", "territory:entities", "territory:entity",
    "schema", "docs",
    "api:department-list", "api:department-detail", "api:municipality-list", "api:municipality-detail",
    "api:entity-list", "api:entity-detail", "api:sector-list", "api:sector-detail",
    "api:api-root", "api:token",
}
LOGIN = {
    "core:dashboard", "accounts:organization", "accounts:my_organization", "accounts:organization_edit",
    "accounts:password_change", "accounts:password_change_done", "accounts:token_revoke", "api:token_revoke",
    "api:me", "api:organization-list", "api:organization-detail",
    "core:notifications", "core:notifications_read", "core:notification_open",
}
COORDINATOR = {"accounts:users_import"}

RULES = {name: "public" for name in PUBLIC} | {n: "login" for n in LOGIN} | {n: "coordinator" for n in COORDINATOR}
for _app in ("offer", "demand", "agenda", "monitoring", "knowledge", "surveys"):
    RULES |= import_module(f"apps.{_app}.access").RULES
