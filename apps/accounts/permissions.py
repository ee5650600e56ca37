"""Who may see and act for which organisation: the one place every app reads scope from.

Rules:
- coordinators and admins: every organisation;
- an editor of a department: the department and every municipality in it;
- any other editor: only their own organisation;
- anonymous or without organisation: nothing.
"""

from django.db.models import Q

from apps.accounts.models import Organization, User


def organization_scope(user: User, prefix: str = "") -> Q:
    """A Q over `<prefix>organization` rows the user may read (and, as editor, write).

    `prefix` is the lookup path from the filtered model to its Organization, e.g.
    `"organization__"` for a Need; empty when filtering Organization itself.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_coordinator:
        return Q()
    org = user.organization
    if org is None:
        return Q(pk__in=[])
    if org.kind == Organization.Kind.DEPARTMENT:
        return Q(**{f"{prefix}department_id": org.department_id})
    return Q(**{f"{prefix}pk": org.pk})


def can_edit_organization(user: User, organization: Organization) -> bool:
    """Editors write only their own organisation's profile; coordinators any."""
    if not user.is_authenticated:
        return False
    return user.is_coordinator or user.organization_id == organization.pk
