"""What an event leaves in the memory of its territories and providers (`apps.core.activity`).

Each move that matters (confirmed, realised, cancelled, rescheduled) writes one row per territory
of the event (each municipality, each department) and one per provider organisation, keyed by the
move (`EventStatusEvent`) and the territory, so a retried service writes nothing new and
`activity_rebuild` writes the same rows from the stored moves.

A row is public when the event is on the published agenda (what anonymous visitors see of it,
apps.agenda.permissions); publishing a period makes its events' rows public (`period_rows_publish`).
"""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.agenda.models import AgendaPeriod, Event, EventStatusEvent, Status
from apps.core.activity import record
from apps.core.models import Activity

KINDS: dict[str, str] = {
    Status.CONFIRMED: "event.confirmed",
    Status.DONE: "event.done",
    Status.CANCELLED: "event.cancelled",
    Status.RESCHEDULED: "event.rescheduled",
}


def _title(status: str, title: str) -> str:
    titles: dict[str, str] = {
        Status.CONFIRMED: _("Jornada confirmada: %(title)s"),
        Status.DONE: _("Jornada realizada: %(title)s"),
        Status.CANCELLED: _("Jornada cancelada: %(title)s"),
        Status.RESCHEDULED: _("Jornada reprogramada: %(title)s"),
    }
    return titles[status] % {"title": title}


def _when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    return start.strftime("%Y-%m-%d %H:%M")


def event_status_record(*, event: Event, status_event: EventStatusEvent) -> None:
    """The rows of one move of `event` (see the module docstring); other moves write nothing."""
    kind = KINDS.get(status_event.to_status)
    if kind is None:
        return
    providers = list(event.providers.all())
    municipalities = list(event.municipalities.select_related("department"))
    departments = list(event.departments.all())
    names = ", ".join(p.name for p in providers)
    places = ", ".join([m.display_name for m in municipalities] + [d.display_name for d in departments])
    title = _title(status_event.to_status, event.title)
    reason = f"\n{status_event.reason}" if status_event.reason else ""
    public = event.period is not None and event.period.status == AgendaPeriod.Status.PUBLISHED
    occurred_at = status_event.created_at
    if status_event.to_status == Status.DONE:
        # Assistance happened on the event's day, even when recorded later (a done event never moves).
        occurred_at = min(event.starts_at, occurred_at)
    common: dict[str, Any] = {
        "kind": kind, "title": title, "link": event.get_absolute_url(), "actor": status_event.actor,
        "occurred_at": occurred_at, "public": public,
        "data": {"event": event.pk, "status": status_event.to_status, "event_kind": event.kind,
                 "starts_at": _when(event), "providers": [p.name for p in providers],
                 "provider_ids": [p.pk for p in providers], "territories": places},
    }
    base = f"agenda:event:{event.pk}:status:{status_event.pk}"
    received = _("Con: %(providers)s") % {"providers": names} + reason
    for muni in municipalities:
        record(key=f"{base}:m:{muni.code}", municipality=muni, department=muni.department, text=received, **common)
    for dept in departments:
        record(key=f"{base}:d:{dept.code}", department=dept, text=received, **common)
    delivered = _("En: %(places)s") % {"places": places} + reason
    for org in providers:
        record(key=f"{base}:o:{org.pk}", organization=org, text=delivered, **common)


def period_rows_publish(*, period: AgendaPeriod) -> int:
    """Publishing a period puts its events on the public agenda, and their rows on public timelines."""
    links = [e.get_absolute_url() for e in Event.objects.filter(period=period).only("pk")]
    return _publish(links)


def _publish(links: Iterable[str]) -> int:
    links = list(links)
    if not links:
        return 0
    return Activity.objects.filter(kind__in=KINDS.values(), link__in=links, public=False).update(public=True)


def rebuild() -> None:
    """Write the rows of every stored move (existing keys are left as they are)."""
    moves = (EventStatusEvent.objects.filter(to_status__in=list(KINDS))
             .select_related("event__period", "actor").order_by("id"))
    for status_event in moves.iterator(chunk_size=500):
        event_status_record(event=status_event.event, status_event=status_event)
    published = Event.objects.filter(period__status=AgendaPeriod.Status.PUBLISHED).only("pk")
    _publish(e.get_absolute_url() for e in published)
