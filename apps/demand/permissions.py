"""Who may see, file, write on and move which need: the one place these rules live.

- See: coordinators every filed need; a department's editors every need of their department
  (their own and their municipalities'); a municipality's editors the needs it filed and the
  ones its department filed on its behalf. Drafts only inside the organisation that writes them.
- File: editors of a municipality or a department.
- Take part (edit a draft, radicar, write in the thread, close): the filing organisation's
  editors, the beneficiary municipality's editors, and coordinators for the thread.
- Move: `models.TRANSITIONS` says which actor each transition needs.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.demand.models import TRANSITIONS, TRANSITIONS_BY_ACTION, Actor, Need, Status, Transition


class TransitionError(Exception):
    """An illegal or forbidden status change; `str()` is the Spanish reason shown to people."""


def need_scope(user: User) -> Q:
    """A Q over Need rows the user may read (see the module docstring)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    own_drafts = Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
    not_draft = ~Q(status=Status.DRAFT)
    if user.is_coordinator:
        return not_draft  # coordinators never file, so they have no drafts of their own
    org = user.organization
    if org is None:
        return Q(pk__in=[])
    if org.kind == Organization.Kind.DEPARTMENT:
        return Q(department_id=org.department_id) & (not_draft | own_drafts)
    if org.kind == Organization.Kind.MUNICIPALITY:
        on_behalf = Q(municipality_id=org.municipality_id) & not_draft
        return Q(organization_id=org.pk) | on_behalf
    return Q(organization_id=org.pk)


def can_file(user: User) -> bool:
    org = getattr(user, "organization", None)
    return bool(user.is_authenticated and user.is_active and org is not None and org.is_territorial
                and user.role == User.Role.EDITOR)


def is_party(user: User, need: Need) -> bool:
    """The territorial side of the need: the filing organisation or the beneficiary municipality."""
    if not user.is_authenticated or user.organization_id is None or user.role != User.Role.EDITOR:
        return False
    if user.organization_id == need.organization_id:
        return True
    return need.municipality_id is not None and user.organization.municipality_id == need.municipality_id


def can_edit(user: User, need: Need) -> bool:
    return need.status == Status.DRAFT and user.organization_id == need.organization_id and is_party(user, need)


def can_message(user: User, need: Need) -> bool:
    return need.status != Status.DRAFT and (user.is_coordinator or is_party(user, need))


def _actor_allows(user: User, need: Need, actor: str) -> bool:
    if actor == Actor.COORDINATOR:
        return user.is_coordinator
    if actor == Actor.TERRITORY:
        return user.organization_id == need.organization_id and is_party(user, need)
    return user.is_coordinator or is_party(user, need)


def transition_check(user: User, need: Need, action: str, *, check_actor: bool = True) -> Transition:
    """The transition named `action` if `user` may apply it to `need` now; else TransitionError.

    `check_actor=False` only for the agenda, which moves a need when its event moves (scheduled,
    done, cancelled) whoever moved the event; the source status is always checked.
    """
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None:
        raise TransitionError(
            _("La acción «%(action)s» no existe. Use una de: %(actions)s.")
            % {"action": action, "actions": ", ".join(TRANSITIONS_BY_ACTION)}
        )
    if need.status not in transition.sources:
        raise TransitionError(
            _("No se puede «%(label)s» una solicitud en estado «%(status)s».")
            % {"label": str(transition.label).lower(), "status": need.get_status_display()}
        )
    if check_actor and not _actor_allows(user, need, transition.actor):
        raise TransitionError(
            _("Solo %(actor)s puede «%(label)s» esta solicitud.")
            % {"actor": Actor(transition.actor).label, "label": str(transition.label).lower()}
        )
    return transition


def transitions_for(user: User, need: Need) -> list[Transition]:
    """The transitions `user` may apply to `need` now by hand, in table order (for buttons).

    "schedule" is never offered: a need is programada through the agenda panel's *Aceptar* (or a
    jornada that includes it), since the service refuses it without a jornada.
    """
    return [t for t in TRANSITIONS
            if t.by_hand and need.status in t.sources and _actor_allows(user, need, t.actor)]
