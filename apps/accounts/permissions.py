"""Who may see and act for which organisation: the one place every app reads scope from.

Rules:
- coordinators and admins: every organisation;
- an editor of a department: the department and every municipality in it;
- any other editor: only their own organisation;
- anonymous or without organisation: nothing.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

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


def role_grant_problem(actor: User | None, role: str, organization: Organization) -> str | None:
    """Why `actor` may not give `role` to a person of `organization`, or None when they may.

    `actor` None is the system (management commands run by whoever operates the server).
    Rules, for every way people are created (page, command, import):
    - admin (Django admin, superuser): only to the DNP organisation, and only by an admin or the system;
    - coordinator: only to the DNP organisation, by a coordinator, an admin or the system;
    - editor: by a coordinator, an admin or the system;
    - nobody else grants any role.
    """
    if role not in User.Role.values:
        return _("Rol desconocido «%(role)s»: use editor, coordinator o admin.") % {"role": role}
    if actor is not None and not (actor.is_authenticated and actor.is_coordinator):
        return _("Solo la coordinación DNP puede dar de alta personas.")
    is_dnp = organization.kind == Organization.Kind.DNP
    if role == User.Role.ADMIN:
        if actor is not None and not _is_admin(actor):
            return _("Solo un administrador puede dar el rol de administrador.")
        if not is_dnp:
            return _("Solo personas de la coordinación DNP pueden ser administradoras.")
    if role == User.Role.COORDINATOR and not is_dnp:
        return _("Solo personas de la coordinación DNP pueden ser coordinadoras.")
    return None


def can_grant_role(actor: User | None, role: str, organization: Organization) -> bool:
    return role_grant_problem(actor, role, organization) is None


def _is_admin(user: User) -> bool:
    return user.is_active and (user.role == User.Role.ADMIN or user.is_superuser)
