"""Who may see, propose, change and move which event: the one place these rules live.

See (`event_visible_q`):
- everyone, anonymous visitors included: the published agenda (events of a published period);
- a municipality's people: besides, every event in their municipality;
- a department's people: besides, every event in the department or in any of its municipalities,
  and the events it provides;
- a national entity's (or the DNP's) editors: besides, the events they provide;
- coordinators and admins: everything.
Personal data (attendees, responsible people) is shown only to people who may edit the event
and to coordinators (`sees_people`).

Propose (`can_propose`): coordinators, and editors of national entities, departments and the DNP,
for their own organisation (it must be among the providers and the services theirs).
Change (`can_edit_event`): coordinators; editors of a providing organisation while the event is
still *propuesta*. Move (`transition_check`): `models.TRANSITIONS`; coordinator-only moves
(confirm, complete) and everything on a confirmed event are for coordinators, the providers
cancel or reschedule their own proposals. Merge, publish periods: coordinators only.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.agenda.models import TRANSITIONS, TRANSITIONS_BY_ACTION, AgendaPeriod, Event, Status, Transition

PROPOSER_KINDS = {Organization.Kind.NATIONAL_ENTITY, Organization.Kind.DEPARTMENT, Organization.Kind.DNP}


class TransitionError(Exception):
    """An illegal or forbidden status change; `str()` is the Spanish reason shown to people."""


def published_q() -> Q:
    return Q(period__status=AgendaPeriod.Status.PUBLISHED)


def _through(field: str, **lookup) -> Q:
    # A subquery on the M2M table, not a join: a join repeats events with several rows.
    through = Event._meta.get_field(field).remote_field.through
    return Q(pk__in=through.objects.filter(**lookup).values("event_id"))


def event_visible_q(user: User) -> Q:
    """A Q over Event rows the user may read (see the module docstring)."""
    if not user.is_authenticated or not user.is_active:
        return published_q()
    if user.is_coordinator:
        return Q()
    org = user.organization
    if org is None:
        return published_q()
    scope = _through("providers", organization_id=org.pk)
    if org.kind == Organization.Kind.MUNICIPALITY:
        scope |= _through("municipalities", municipality_id=org.municipality_id)
    elif org.kind == Organization.Kind.DEPARTMENT:
        scope |= (_through("municipalities", municipality__department_id=org.department_id)
                  | _through("departments", department_id=org.department_id))
    return published_q() | scope


def _provider_ids(event: Event) -> set[int]:
    return {org.pk for org in event.providers.all()}  # uses the prefetch when there is one


def is_provider(user: User, event: Event) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organization_id
                and user.organization_id in _provider_ids(event))


def can_propose(user: User) -> bool:
    """May this person create events (coordinators any; editors for their own organisation)?"""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_coordinator or bool(user.organization_id and user.organization.kind in PROPOSER_KINDS)


def can_edit_event(user: User, event: Event) -> bool:
    if not (user.is_authenticated and user.is_active) or event.status not in (Status.PROPOSED, Status.CONFIRMED):
        return False
    if user.is_coordinator:
        return True
    return event.status == Status.PROPOSED and is_provider(user, event)


def sees_people(user: User, event: Event) -> bool:
    """Attendees and responsible people: coordinators and the providers' people only."""
    return bool(user.is_authenticated and (user.is_coordinator or is_provider(user, event)))


def can_coordinate(user: User) -> bool:
    """Confirm, merge, accept matches, publish periods."""
    return bool(user.is_authenticated and user.is_coordinator)


def _actor_allows(user: User, event: Event, transition: Transition) -> bool:
    if user.is_coordinator:
        return True
    if transition.coordinator_only or event.status != Status.PROPOSED:
        return False
    return is_provider(user, event)


def transition_check(user: User, event: Event, action: str) -> Transition:
    """The transition named `action` if `user` may apply it to `event` now; else TransitionError."""
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None:
        raise TransitionError(
            _("La acción «%(action)s» no existe. Use una de: %(actions)s.")
            % {"action": action, "actions": ", ".join(TRANSITIONS_BY_ACTION)}
        )
    if event.merged_into_id:
        raise TransitionError(_("Esta jornada se fusionó en otra; haga los cambios en la misión conjunta."))
    if event.status not in transition.sources:
        raise TransitionError(
            _("No se puede «%(label)s» una jornada en estado «%(status)s».")
            % {"label": str(transition.label).lower(), "status": Status(event.status).label}
        )
    if not _actor_allows(user, event, transition):
        raise TransitionError(
            _("Solo la coordinación DNP puede «%(label)s» esta jornada.") % {"label": str(transition.label).lower()}
        )
    return transition


def can_transition(user: User, event: Event, action: str) -> bool:
    try:
        transition_check(user, event, action)
    except TransitionError:
        return False
    return True


def transitions_for(user: User, event: Event) -> list[Transition]:
    """The moves `user` may make on `event` now, in table order (for buttons)."""
    if event.merged_into_id or not user.is_authenticated:
        return []
    return [t for t in TRANSITIONS if event.status in t.sources and _actor_allows(user, event, t)]
