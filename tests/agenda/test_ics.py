"""The iCalendar output (parsed back with the icalendar library) and the add-to-calendar links."""

from datetime import datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from apps.agenda import ics
from apps.agenda.models import Event

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
URL = "https://agenda-att.example/agenda/jornadas/{pk}/"


def _event(**fields) -> Event:
    values = {"title": "Mesa técnica de agua potable", "kind": Event.Kind.ROUNDTABLE,
              "status": Event.Status.CONFIRMED, "starts_at": datetime(2027, 3, 2, 8, 0, tzinfo=BOGOTA),
              "ends_at": datetime(2027, 3, 2, 12, 0, tzinfo=BOGOTA), "modality": "presencial",
              "place": "Alcaldía de Fusagasugá, salón del concejo", "description": "Formulación del proyecto."}
    return Event.objects.create(**(values | fields))


def _parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def _url(event):
    return URL.format(pk=event.pk)


def test_it_builds_a_valid_calendar_with_the_required_properties():
    event = _event()
    cal = _parse(ics.event_ics(event, _url(event)))
    assert (str(cal["version"]), str(cal["prodid"])) == ("2.0", ics.PRODID)
    assert str(cal["x-wr-calname"]) == "Mesa técnica de agua potable"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Bogota"]
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["uid"]) == f"event-{event.pk}@agenda-att"
    assert vevent["dtstart"].dt == datetime(2027, 3, 2, 8, 0, tzinfo=BOGOTA)
    assert vevent["dtend"].dt == datetime(2027, 3, 2, 12, 0, tzinfo=BOGOTA)
    assert vevent["dtstart"].params["TZID"] == "America/Bogota"
    assert "dtstamp" in vevent and str(vevent["summary"]) == event.title
    assert str(vevent["status"]) == "CONFIRMED"
    assert str(vevent["url"]) == _url(event)
    assert str(vevent["location"]) == "Alcaldía de Fusagasugá, salón del concejo"
    assert _url(event) in str(vevent["description"])


def test_it_puts_the_video_link_where_there_is_no_place():
    event = _event(place="", modality="virtual", video_url="https://meet.example/abc")
    (vevent,) = _parse(ics.event_ics(event, _url(event))).walk("VEVENT")
    assert str(vevent["location"]) == "https://meet.example/abc"
    assert "https://meet.example/abc" in str(vevent["description"])


@pytest.mark.parametrize(("status", "expected"), [
    (Event.Status.PROPOSED, "TENTATIVE"), (Event.Status.CONFIRMED, "CONFIRMED"),
    (Event.Status.DONE, "CONFIRMED"), (Event.Status.CANCELLED, "CANCELLED"),
])
def test_it_maps_the_status(status, expected):
    event = _event(status=status)
    (vevent,) = _parse(ics.event_ics(event, _url(event))).walk("VEVENT")
    assert str(vevent["status"]) == expected


def test_the_uid_is_stable_and_the_sequence_grows_with_each_change():
    event = _event()
    (before,) = _parse(ics.event_ics(event, _url(event))).walk("VEVENT")
    Event.objects.filter(pk=event.pk).update(updated_at=event.updated_at.replace(year=event.updated_at.year + 1))
    event.refresh_from_db()
    (after,) = _parse(ics.event_ics(event, _url(event))).walk("VEVENT")
    assert before["uid"] == after["uid"]
    assert int(after["sequence"]) > int(before["sequence"])


def test_a_calendar_of_several_events_has_one_vevent_each_and_one_timezone():
    events = [_event(title=f"Jornada {n}") for n in range(3)]
    cal = _parse(ics.build_calendar(events, name="Agenda de MinVivienda", url_for=_url))
    assert sorted(str(v["summary"]) for v in cal.walk("VEVENT")) == ["Jornada 0", "Jornada 1", "Jornada 2"]
    assert len(cal.walk("VTIMEZONE")) == 1
    assert str(cal["x-wr-calname"]) == "Agenda de MinVivienda"


def test_text_with_commas_semicolons_and_accents_survives_the_round_trip():
    event = _event(title="Taller: agua, saneamiento; y más — Ñuñoa", place="Vereda «El Ñame», km 3; casa 2")
    (vevent,) = _parse(ics.event_ics(event, _url(event))).walk("VEVENT")
    assert str(vevent["summary"]) == "Taller: agua, saneamiento; y más — Ñuñoa"
    assert str(vevent["location"]) == "Vereda «El Ñame», km 3; casa 2"


def test_lines_are_folded_and_end_in_crlf():
    event = _event(description="palabra " * 40)
    data = ics.event_ics(event, _url(event))
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_the_google_link_carries_utc_dates_title_place_and_page():
    event = _event()
    query = parse_qs(urlparse(ics.google_link(event, _url(event))).query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == [event.title]
    assert query["dates"] == ["20270302T130000Z/20270302T170000Z"]
    assert query["location"] == [event.place]
    assert _url(event) in query["details"][0]


def test_the_outlook_link_carries_iso_dates_title_and_place():
    event = _event()
    link = urlparse(ics.outlook_link(event, _url(event)))
    query = parse_qs(link.query)
    assert link.netloc == "outlook.office.com"
    assert (query["subject"], query["location"]) == ([event.title], [event.place])
    assert (query["startdt"], query["enddt"]) == (["2027-03-02T13:00:00Z"], ["2027-03-02T17:00:00Z"])
