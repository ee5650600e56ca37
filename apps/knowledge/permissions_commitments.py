"""Who may see, record and move which commitment: the one place these rules live.

See (`commitment_visible_q`):
- everyone, anonymous visitors included: the commitments of the 2021 workshops (and of any
  workshop), public reference of the policy;
- a commitment of a territory or of a jornada: the responsible organisation, the territory it
  concerns (the municipality's people; the department's people for the department and for its
  municipalities), the organisations that provided its jornada, and coordinators.
Anyone else gets 404 for it, the same as for a missing one.

Move (`can_update`): the responsible organisation's people, the people of the commitment's own
territory (the municipality, or the department for a department's commitment) and coordinators.
The allowed moves are `STATUS_MOVES`; a note is always required (the progress timeline).

Record (`can_create`): coordinators always; the providers of a *realizada* jornada for it (the
responsible one of its providers or of its territories, the territory one of its territories);
whoever may edit a workshop for it; an editor, without jornada or workshop, only a commitment of
their own organisation.
"""

from django.db.models import Q

from apps.accounts.models import Organization, User
from apps.knowledge.models import Commitment, CommitmentStatus

S = CommitmentStatus
# from → the statuses it may move to. A note with the same status is a progress note (allowed);
# *vencido* is also set by the reminders sweep when the due date passes.
STATUS_MOVES: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.IN_PROGRESS, S.DONE, S.DISCARDED, S.OVERDUE}),
    S.IN_PROGRESS: frozenset({S.PENDING, S.DONE, S.DISCARDED, S.OVERDUE}),
    S.OVERDUE: frozenset({S.PENDING, S.IN_PROGRESS, S.DONE, S.DISCARDED}),
    S.DONE: frozenset({S.IN_PROGRESS}),  # reopened: it was not done after all
    S.DISCARDED: frozenset({S.PENDING}),  # taken up again
}
OPEN_STATUSES = (S.PENDING, S.IN_PROGRESS)


def move_allowed(current: str, new: str) -> bool:
    return new == current or new in STATUS_MOVES.get(current, frozenset())


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _event_provider_q(org_id: int) -> Q:
    from apps.agenda.models import Event

    through = Event.providers.through
    return Q(event_id__in=through.objects.filter(organization_id=org_id).values("event_id"))


def commitment_visible_q(user: User) -> Q:
    """A Q over Commitment rows the user may read (see the module docstring)."""
    public = Q(workshop__isnull=False)
    if not _active(user):
        return public
    if user.is_coordinator:
        return Q()
    org = user.organization
    if org is None:
        return public
    scope = public | Q(responsible_id=org.pk) | Q(created_by_id=user.pk) | _event_provider_q(org.pk)
    if org.kind == Organization.Kind.MUNICIPALITY and org.municipality_id:
        scope |= Q(municipality_id=org.municipality_id)
    elif org.kind == Organization.Kind.DEPARTMENT and org.department_id:
        scope |= Q(department_id=org.department_id) | Q(municipality__department_id=org.department_id)
    return scope


def commitment_editable_q(user: User) -> Q | None:
    """A Q over the commitments the user may move (None: none at all)."""
    if not _active(user):
        return None
    if user.is_coordinator:
        return Q()
    org = user.organization
    if org is None:
        return None
    scope = Q(responsible_id=org.pk)
    if org.kind == Organization.Kind.MUNICIPALITY and org.municipality_id:
        scope |= Q(municipality_id=org.municipality_id)
    elif org.kind == Organization.Kind.DEPARTMENT and org.department_id:
        scope |= Q(department_id=org.department_id, municipality__isnull=True)
    return scope


def can_update(user: User, commitment: Commitment) -> bool:
    """May this person write a progress note or change the status (the same rule as `commitment_editable_q`)?"""
    if not _active(user):
        return False
    if user.is_coordinator:
        return True
    org = user.organization
    if org is None:
        return False
    if commitment.responsible_id == org.pk:
        return True
    if org.kind == Organization.Kind.MUNICIPALITY:
        return bool(org.municipality_id and commitment.municipality_id == org.municipality_id)
    if org.kind == Organization.Kind.DEPARTMENT:
        return bool(org.department_id and commitment.municipality_id is None
                    and commitment.department_id == org.department_id)
    return False


def can_record_for_event(user: User, event) -> bool:
    """Providers and coordinators record the commitments of a realised jornada."""
    from apps.agenda.models import Status as EventStatus
    from apps.agenda.permissions import is_provider

    if not _active(user) or event.status != EventStatus.DONE or event.merged_into_id:
        return False
    return user.is_coordinator or is_provider(user, event)


def can_create(user: User, *, responsible: Organization | None, workshop=None, event=None) -> bool:
    if not _active(user):
        return False
    if user.is_coordinator:
        return True
    if event is not None:
        return can_record_for_event(user, event)
    if workshop is not None:
        try:  # whoever may edit the workshop records its commitments (permissions_workshops.py)
            from apps.knowledge.permissions_workshops import can_edit_workshop
        except ImportError:
            return workshop.created_by_id == user.pk
        return can_edit_workshop(user, workshop)
    return responsible is not None and responsible.pk == user.organization_id
