"""Every URL name and who may open it, and how to read what a view declares.

Rules: "public" (anyone), "login" (any signed-in person; the view then scopes per object, another
organisation's object answering 404) and "coordinator" (DNP coordinators and admins). Each app lists
its URL names in `apps/<app>/access.py`; they are merged here.

tests/core/test_access.py fails when a URL has no rule, when a view declares another rule than the
table (`rule_of`), when an anonymous visitor is not sent to the login page (401/403 for the API),
and when a municipal editor opens a coordinator URL. To add a URL: declare the view with
`apps.core.decorators` (`@public`, `@login_required`, `@coordinator_required`) or, for the API, with
DRF permission classes; add its name to the app's RULES; give the test an example id if it takes one.
"""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from apps.accounts.access import RULES as ACCOUNTS
from apps.agenda.access import RULES as AGENDA
from apps.core.decorators import RULE_ATTRIBUTE
from apps.demand.access import RULES as DEMAND
from apps.knowledge.access import RULES as KNOWLEDGE
from apps.monitoring.access import RULES as MONITORING
from apps.offer.access import RULES as OFFER
from apps.surveys.access import RULES as SURVEYS
from apps.territory.access import RULES as TERRITORY

CORE: dict[str, str] = {
    "core:home": "public",
    "core:about": "public",
    "core:healthz": "public",
    "favicon": "public",
    "schema": "public",
    "docs": "public",
    "api:api-root": "public",
    "core:dashboard": "login",
    "core:notifications": "login",
    "core:notifications_read": "login",
    "core:notification_open": "login",
}

TABLES: dict[str, dict[str, str]] = {
    "core": CORE, "accounts": ACCOUNTS, "territory": TERRITORY, "offer": OFFER, "demand": DEMAND,
    "agenda": AGENDA, "monitoring": MONITORING, "knowledge": KNOWLEDGE, "surveys": SURVEYS,
}
RULES: dict[str, str] = {name: rule for table in TABLES.values() for name, rule in table.items()}
COORDINATOR_PERMISSION_RULE = "coordinator"


def rule_of(view) -> str | None:
    """The rule a URL's view declares, or None when it declares none.

    Pages: the attribute `apps.core.decorators` sets, or Django's `login_not_required` (its auth
    views). API views: "public" when an anonymous caller passes the permission classes for one of
    the route's methods, "coordinator" when a permission class says `access_rule = "coordinator"`,
    otherwise "login".
    """
    declared = getattr(view, RULE_ATTRIBUTE, None)
    if declared:
        return declared
    if getattr(view, "cls", None) is not None:  # before login_required: DRF marks its views login_not_required
        return _api_rule(view)
    if getattr(view, "login_required", True) is False:
        return "public"
    return None


def _api_rule(view) -> str:
    actions = getattr(view, "actions", None) or {}
    instance = view.cls(**getattr(view, "initkwargs", {}))
    methods = list(actions) or [m for m in instance.http_method_names if hasattr(instance, m) and m != "options"]
    rules = set()
    for method in methods:
        instance.action = actions.get(method)
        request = SimpleNamespace(method=method.upper(), user=AnonymousUser(), auth=None)
        permissions = instance.get_permissions()
        if all(permission.has_permission(request, instance) for permission in permissions):
            rules.add("public")
        elif any(getattr(p, "access_rule", None) == COORDINATOR_PERMISSION_RULE for p in permissions):
            rules.add("coordinator")
        else:
            rules.add("login")
    return "public" if "public" in rules else ("coordinator" if "coordinator" in rules else "login")
