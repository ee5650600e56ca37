"""The calendar grid the agenda pages draw: a month or a week of days, Monday first, each day with
the events that touch it (in Bogotá's local dates) and its holiday name.

Plain data for a template: the month is a <table> on wide screens and a list of the days that have
events on phones; neither needs JavaScript. Events are any objects with aware `starts_at` and
`ends_at` (an event spanning several days shows on each of them).
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONTHS = (None, _("enero"), _("febrero"), _("marzo"), _("abril"), _("mayo"), _("junio"), _("julio"),
          _("agosto"), _("septiembre"), _("octubre"), _("noviembre"), _("diciembre"))
WEEKDAYS = (_("lunes"), _("martes"), _("miércoles"), _("jueves"), _("viernes"), _("sábado"), _("domingo"))
WEEKDAYS_SHORT = (_("lun"), _("mar"), _("mié"), _("jue"), _("vie"), _("sáb"), _("dom"))


@dataclass
class Day:
    date: date
    in_range: bool  # False for the neighbouring months' days that fill the first and last weeks
    is_today: bool
    holiday: str = ""
    events: list = field(default_factory=list)

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS[self.date.weekday()])

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def label(self) -> str:
        """"martes 3 de marzo": the full name of the day, for headings and screen readers."""
        return f"{self.weekday_name} {self.date.day} de {MONTHS[self.date.month]}"


@dataclass
class Grid:
    kind: str  # "month" | "week"
    start: date
    end: date  # inclusive
    weeks: list[list[Day]]
    title: str
    previous: date
    next: date

    @property
    def days(self) -> list[Day]:
        return [day for week in self.weeks for day in week if day.in_range]

    @property
    def busy_days(self) -> list[Day]:
        """The days with events: the list phones show instead of the table."""
        return [day for day in self.days if day.events]

    @property
    def weekday_headers(self) -> list[tuple[str, str]]:
        return [(str(full), str(short)) for full, short in zip(WEEKDAYS, WEEKDAYS_SHORT, strict=True)]


def month_name(month: int) -> str:
    return str(MONTHS[month])


def _local_date(value) -> date:
    return timezone.localtime(value).date()


def _by_day(events: Iterable, start: date, end: date) -> dict[date, list]:
    out: dict[date, list] = defaultdict(list)
    for event in sorted(events, key=lambda e: (e.starts_at, e.pk or 0)):
        first = max(_local_date(event.starts_at), start)
        # An event ending at midnight belongs to the day before (08:00–00:00 is one day).
        last_moment = event.ends_at - timedelta(microseconds=1) if event.ends_at > event.starts_at else event.ends_at
        last = min(_local_date(last_moment), end)
        day = first
        while day <= last:
            out[day].append(event)
            day += timedelta(days=1)
    return out


def _days(first: date, last: date, in_range: tuple[date, date], events: Iterable) -> list[list[Day]]:
    names = holidays.country_holidays("CO", years=range(first.year, last.year + 1), language="es")
    placed = _by_day(events, first, last)
    today = timezone.localdate()
    weeks, day = [], first
    while day <= last:
        week = []
        for _i in range(7):
            week.append(Day(date=day, in_range=in_range[0] <= day <= in_range[1], is_today=day == today,
                            holiday=str(names.get(day, "")), events=placed.get(day, [])))
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_bounds(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_grid(year: int, month: int, events: Iterable) -> Grid:
    """Whole weeks, Monday to Sunday, covering the month; the other months' days are `in_range=False`
    and carry no events (they are not in the queried range)."""
    start, end = month_bounds(year, month)
    first, last = week_bounds(start)[0], week_bounds(end)[1]
    events = [e for e in events if _local_date(e.starts_at) <= end and _local_date(e.ends_at) >= start]
    weeks = _days(first, last, (start, end), events)
    for week in weeks:
        for day in week:
            if not day.in_range:
                day.events = []
    previous = (start - timedelta(days=1)).replace(day=1)
    return Grid(kind="month", start=start, end=end, weeks=weeks, title=f"{month_name(month)} de {year}",
                previous=previous, next=end + timedelta(days=1))


def week_grid(day: date, events: Iterable) -> Grid:
    start, end = week_bounds(day)
    weeks = _days(start, end, (start, end), events)
    if start.month == end.month:
        title = f"{start.day} al {end.day} de {month_name(end.month)} de {end.year}"
    elif start.year == end.year:
        title = f"{start.day} de {month_name(start.month)} al {end.day} de {month_name(end.month)} de {end.year}"
    else:
        title = (f"{start.day} de {month_name(start.month)} de {start.year} al "
                 f"{end.day} de {month_name(end.month)} de {end.year}")
    return Grid(kind="week", start=start, end=end, weeks=weeks, title=title,
                previous=start - timedelta(days=7), next=start + timedelta(days=7))
