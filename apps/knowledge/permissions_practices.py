"""Who may see and write good practices, lessons learned and guidelines: the one place these rules live.

Practices and lessons (`Practice`):
- See: published ones, everyone (anonymous visitors included: territories learn from each other);
  unpublished ones, the people of the organisation or territory that wrote them, and coordinators.
- Write (create, edit, publish): editors of any organisation, for their own organisation and, if
  territorial, their own territory; coordinators. Editing: the authoring organisation, the editors
  of the practice's municipality, a department's editors for their department, coordinators.

Guidelines (`Guideline` and its versions):
- See (the page and every version's file): published ones, everyone; unpublished ones, the
  publishing organisation's people and coordinators.
- Write (create, edit, add a version): editors of national entities, departments and the DNP for
  their own organisation; coordinators. Municipalities use guidelines; they do not publish them.
"""

from django.db.models import Q

from apps.accounts.models import Organization, User
from apps.knowledge.models import Guideline, Practice

GUIDELINE_AUTHOR_KINDS = {Organization.Kind.NATIONAL_ENTITY, Organization.Kind.DEPARTMENT, Organization.Kind.DNP}


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def practice_visible_q(user: User) -> Q:
    """A Q over Practice rows the user may read (see the module docstring)."""
    published = Q(published=True)
    if not _active(user):
        return published
    if user.is_coordinator:
        return Q()
    return published | practice_editable_q(user)


def practice_editable_q(user: User) -> Q:
    """A Q over Practice rows the user may write."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_coordinator:
        return Q()
    org = user.organization
    if org is None or user.role != User.Role.EDITOR:
        return Q(pk__in=[])
    scope = Q(organization_id=org.pk)
    if org.kind == Organization.Kind.MUNICIPALITY and org.municipality_id:
        scope |= Q(municipality_id=org.municipality_id)
    elif org.kind == Organization.Kind.DEPARTMENT and org.department_id:
        scope |= Q(department_id=org.department_id)
    return scope


def can_author_practice(user: User) -> bool:
    return _active(user) and (user.is_coordinator or (user.organization_id is not None
                                                       and user.role == User.Role.EDITOR))


def can_edit_practice(user: User, practice: Practice) -> bool:
    if not can_author_practice(user):
        return False
    if user.is_coordinator or practice.organization_id == user.organization_id:
        return True
    org = user.organization
    if org.kind == Organization.Kind.MUNICIPALITY:
        return practice.municipality_id is not None and practice.municipality_id == org.municipality_id
    if org.kind == Organization.Kind.DEPARTMENT:
        return practice.department_id is not None and practice.department_id == org.department_id
    return False


def guideline_visible_q(user: User) -> Q:
    """A Q over Guideline rows the user may read (see the module docstring)."""
    published = Q(published=True)
    if not _active(user):
        return published
    if user.is_coordinator:
        return Q()
    if user.organization_id is None:
        return published
    return published | Q(organization_id=user.organization_id)


def can_author_guideline(user: User) -> bool:
    return _active(user) and (user.is_coordinator or (
        user.organization_id is not None and user.role == User.Role.EDITOR
        and user.organization.kind in GUIDELINE_AUTHOR_KINDS))


def can_edit_guideline(user: User, guideline: Guideline) -> bool:
    return can_author_guideline(user) and (user.is_coordinator or user.organization_id == guideline.organization_id)
