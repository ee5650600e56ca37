"""iCalendar (RFC 5545) for the agenda: one event's .ics download, an organisation's private feed,
and the Google and Outlook "add to calendar" links.

Times go out in America/Bogota with its VTIMEZONE (Outlook shows floating or UTC times oddly in
some versions); UIDs are stable per event ("event-<pk>@agenda-att") so a calendar that subscribes
updates the entry instead of duplicating it, and SEQUENCE grows with each saved change so clients
accept the update. Each entry links back to its page and carries the place or the video link.
"""

from collections.abc import Callable, Iterable
from datetime import UTC
from urllib.parse import urlencode

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

PRODID = "-//DNP//Agenda ATT//ES"
UID_DOMAIN = "agenda-att"
# Event.Status values → RFC 5545 STATUS. "reprogramada" keeps the entry, tentative, until confirmed.
STATUS = {"propuesta": "TENTATIVE", "confirmada": "CONFIRMED", "realizada": "CONFIRMED",
          "cancelada": "CANCELLED", "reprogramada": "TENTATIVE"}


def event_uid(event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def event_location(event) -> str:
    return event.place or event.video_url or ""


def event_sequence(event) -> int:
    """Seconds between creation and the last change: grows with every saved change, needs no column
    and no query (an explicit `sequence` attribute wins when the model has one)."""
    explicit = getattr(event, "sequence", None)
    if explicit is not None:
        return int(explicit)
    if not (event.created_at and event.updated_at):
        return 0
    return max(0, int((event.updated_at - event.created_at).total_seconds()))


def event_text(event, url: str) -> str:
    parts = [event.description.strip()] if event.description else []
    if event.video_url:
        parts.append(f"Enlace de la reunión: {event.video_url}")
    if event.place:
        parts.append(f"Lugar: {event.place}")
    parts.append(f"Detalles en Agenda ATT: {url}")
    return "\n\n".join(parts)


def _vevent(event, url: str) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", (event.updated_at or timezone.now()).astimezone(UTC))
    if event.created_at:
        vevent.add("created", event.created_at.astimezone(UTC))
    if event.updated_at:
        vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("dtstart", timezone.localtime(event.starts_at))
    vevent.add("dtend", timezone.localtime(event.ends_at))
    vevent.add("summary", event.title)
    vevent.add("description", event_text(event, url))
    vevent.add("url", url)
    if location := event_location(event):
        vevent.add("location", location)
    vevent.add("status", STATUS.get(event.status, "TENTATIVE"))
    vevent.add("sequence", event_sequence(event))
    vevent.add("categories", [str(event.get_kind_display())])
    return vevent


def build_calendar(events: Iterable, *, name: str, url_for: Callable[[object], str]) -> bytes:
    """A VCALENDAR with one VEVENT per event; `url_for(event)` gives the absolute page URL."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone.get_current_timezone_name())
    for event in events:
        cal.add_component(_vevent(event, url_for(event)))
    cal.add_missing_timezones()
    return cal.to_ical()


def event_ics(event, url: str) -> bytes:
    return build_calendar([event], name=event.title, url_for=lambda _e: url)


def _utc_stamp(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_link(event, url: str) -> str:
    query = urlencode({
        "action": "TEMPLATE", "text": event.title,
        "dates": f"{_utc_stamp(event.starts_at)}/{_utc_stamp(event.ends_at)}",
        "details": event_text(event, url), "location": event_location(event),
        "ctz": timezone.get_current_timezone_name(),
    })
    return f"https://calendar.google.com/calendar/render?{query}"


def outlook_link(event, url: str) -> str:
    query = urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
        "startdt": event.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": event.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": event_text(event, url), "location": event_location(event),
    })
    return f"https://outlook.office.com/calendar/0/deeplink/compose?{query}"
