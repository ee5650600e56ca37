"""How a page declares who may open it: the rule that `apps/<app>/access.py` lists for its URL name.
A test (tests/core/test_access.py) compares every view's declaration with the table and then tries
each URL as an anonymous visitor and as a municipal editor.

    @public                anyone (also Django's `login_not_required`)
    @login_required        any signed-in person; the view then scopes per object. Anonymous: login page
    @coordinator_required  DNP coordinators and admins. Anonymous: login page; anyone else: 403

Put the declaration outermost (first line above the function). API views declare theirs with DRF
permission classes; `apps.core.access.rule_of` reads both.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.decorators import login_required as django_login_required
from django.core.exceptions import PermissionDenied

RULE_ATTRIBUTE = "access_rule"


def _declare(view, rule: str):
    setattr(view, RULE_ATTRIBUTE, rule)
    return view


def public(view):
    return _declare(login_not_required(view), "public")


def login_required(view):
    return _declare(django_login_required(view), "login")


def coordinator_required(view):
    @wraps(view)
    @django_login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _declare(wrapped, "coordinator")
