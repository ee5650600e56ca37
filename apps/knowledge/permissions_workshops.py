"""Who may see and record which workshop: the one place these rules live.

- See: every workshop, anonymous visitors included (the workshops and their trees are the
  policy's public memory; they carry no personal data beyond organisation names).
- Record: coordinators; editors of any organisation record the workshops their organisation
  organised (it is always among the organisers). A municipality's or a department's editor may
  place the workshop only in their own territory (a department's: also one of its municipalities).
- Edit: coordinators; the person who recorded it; editors of an organising organisation. The 2021
  reference workshops and the PATT tree (loaded from the report) only coordinators.
"""

from apps.accounts.models import Organization, User
from apps.knowledge.models import Workshop
from apps.territory.models import Department, Municipality


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_record_workshop(user: User) -> bool:
    return _active(user) and (user.is_coordinator or user.organization_id is not None)


def can_edit_workshop(user: User, workshop: Workshop) -> bool:
    if not _active(user):
        return False
    if user.is_coordinator:
        return True
    if workshop.is_patt or workshop.source.startswith("docs/"):
        return False
    if workshop.created_by_id == user.pk:
        return True
    org_id = user.organization_id
    if org_id is None:
        return False
    # The organisers are usually prefetched on the page: read them from the cache when present.
    return org_id in {o.pk for o in workshop.organizer_organizations.all()}


def territory_allowed(user: User, *, municipality: Municipality | None, department: Department | None) -> bool:
    """May this person place a workshop in that territory (None: no territory)?"""
    if user.is_coordinator or (municipality is None and department is None):
        return True
    org = user.organization
    if org is None:
        return False
    if org.kind == Organization.Kind.MUNICIPALITY:
        return municipality is not None and municipality.pk == org.municipality_id
    if org.kind == Organization.Kind.DEPARTMENT:
        dept = municipality.department_id if municipality is not None else department.pk if department else None
        return dept == org.department_id
    return True
