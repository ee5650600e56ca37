"""Who may see, write and move which service: the one place the offer app reads rules from.

- Published services are public (anonymous visitors included).
- Drafts and archived services: the owning organisation (and, through
  `organization_scope`, its department's editors) and DNP coordinators/admins.
- Writing (edit, publish, archive, import) belongs to the owning organisation only: national
  entities, departments and the DNP. Municipalities do not publish offer.
"""

from django.db.models import Q

from apps.accounts.models import Organization, User
from apps.accounts.permissions import organization_scope
from apps.offer.models import Service

OWNER_KINDS = {Organization.Kind.NATIONAL_ENTITY, Organization.Kind.DEPARTMENT, Organization.Kind.DNP}


def service_visible_q(user: User) -> Q:
    """Q over Service: published ones, plus any status within the user's organisation scope."""
    published = Q(status=Service.Status.PUBLISHED)
    if not user.is_authenticated or not user.is_active:
        return published
    if user.is_coordinator:
        return Q()
    return published | organization_scope(user, "organization__")


def can_author(user: User) -> bool:
    """May this person create services (for their own organisation)?"""
    return bool(
        user.is_authenticated and user.is_active and user.organization_id
        and user.organization.kind in OWNER_KINDS
    )


def can_edit_service(user: User, service: Service) -> bool:
    """Only people of the owning organisation write a service; coordinators read everything."""
    return can_author(user) and user.organization_id == service.organization_id


def sees_unpublished(user: User) -> bool:
    """Whether the status filter and badges make sense for this person."""
    return bool(user.is_authenticated and (user.is_coordinator or can_author(user)))


def can_delete_service(user: User, service: Service) -> bool:
    """Only the owning organisation, and only drafts: nothing published disappears from under a request."""
    return can_edit_service(user, service) and service.status == Service.Status.DRAFT
