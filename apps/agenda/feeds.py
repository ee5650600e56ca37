"""What goes into an organisation's private iCalendar feed (rendered by `ics.build_calendar`).

The feed has no signed-in user, only the organisation behind the secret URL: its events are the
ones it provides and the ones that come to its territory (a municipality; a department and its
municipalities), the same scope as "Mi agenda"; the DNP's feed holds the whole agenda. Cancelled
events, merged sources included, stay in the feed as STATUS:CANCELLED so subscribed calendars
drop them instead of keeping a stale entry.
"""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import Organization
from apps.agenda.models import Event

FEED_PAST_DAYS = 365


def _through(field: str):
    return Event._meta.get_field(field).remote_field.through


def organization_scope_q(organization: Organization) -> Q:
    """The events of an organisation's own agenda (see the module docstring)."""
    if organization.kind == Organization.Kind.DNP:
        return Q()
    scope = Q(pk__in=_through("providers").objects.filter(organization_id=organization.pk).values("event_id"))
    if organization.kind == Organization.Kind.MUNICIPALITY:
        scope |= Q(pk__in=_through("municipalities").objects.filter(municipality_id=organization.municipality_id)
                   .values("event_id"))
    elif organization.kind == Organization.Kind.DEPARTMENT:
        scope |= Q(pk__in=_through("municipalities").objects
                   .filter(municipality__department_id=organization.department_id).values("event_id"))
        scope |= Q(pk__in=_through("departments").objects.filter(department_id=organization.department_id)
                   .values("event_id"))
    return scope


def feed_events(*, organization: Organization) -> QuerySet[Event]:
    """The feed's events: from a year ago on, one query (the VEVENT needs no relations)."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return (Event.objects.filter(organization_scope_q(organization), ends_at__gte=since)
            .order_by("starts_at", "id"))
