"""The calendar grid: Monday-first whole weeks, es-CO names, holidays, events on every day they span."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from apps.agenda.grid import month_grid, week_grid

BOGOTA = ZoneInfo("America/Bogota")


def _at(*parts):
    return datetime(*parts, tzinfo=BOGOTA)


def _event(pk, start, end):
    return SimpleNamespace(pk=pk, starts_at=start, ends_at=end)


def test_a_month_is_whole_weeks_from_monday_to_sunday():
    grid = month_grid(2027, 3, [])
    assert grid.title == "marzo de 2027"
    assert grid.weeks[0][0].date == date(2027, 3, 1) and grid.weeks[0][0].weekday_name == "lunes"
    assert all(len(week) == 7 and week[0].date.weekday() == 0 for week in grid.weeks)
    assert [d.date for d in grid.days][-1] == date(2027, 3, 31)
    assert not grid.weeks[-1][-1].in_range  # 4 April fills the last week
    assert (grid.previous, grid.next) == (date(2027, 2, 1), date(2027, 4, 1))


def test_holidays_carry_their_spanish_name():
    grid = month_grid(2027, 3, [])
    names = {d.date: d.holiday for d in grid.days if d.holiday}
    assert names[date(2027, 3, 22)] == "Día de San José (observado)"
    assert names[date(2027, 3, 25)] == "Jueves Santo"


def test_events_land_on_their_local_day_and_on_every_day_they_span():
    late = _event(1, _at(2027, 3, 2, 20, 0), _at(2027, 3, 2, 23, 0))  # 01:00 UTC the next day
    long = _event(2, _at(2027, 3, 9, 8, 0), _at(2027, 3, 11, 12, 0))
    to_midnight = _event(3, _at(2027, 3, 15, 8, 0), _at(2027, 3, 16, 0, 0))
    grid = month_grid(2027, 3, [late, long, to_midnight])
    by_day = {d.date.day: [e.pk for e in d.events] for d in grid.days if d.events}
    assert by_day == {2: [1], 9: [2], 10: [2], 11: [2], 15: [3]}
    assert [d.date.day for d in grid.busy_days] == [2, 9, 10, 11, 15]


def test_days_of_the_neighbouring_months_carry_no_events():
    spill = _event(1, _at(2027, 3, 31, 8, 0), _at(2027, 4, 2, 12, 0))
    grid = month_grid(2027, 3, [spill])
    assert [d.date for d in grid.busy_days] == [date(2027, 3, 31)]
    assert all(not d.events for w in grid.weeks for d in w if not d.in_range)


def test_a_week_starts_on_monday_and_names_its_span():
    grid = week_grid(date(2027, 3, 31), [_event(1, _at(2027, 4, 1, 8, 0), _at(2027, 4, 1, 9, 0))])
    assert [d.date for d in grid.days] == [date(2027, 3, 29 + i) if i < 3 else date(2027, 4, i - 2)
                                           for i in range(7)]
    assert grid.title == "29 de marzo al 4 de abril de 2027"
    assert [d.date for d in grid.busy_days] == [date(2027, 4, 1)]
    assert (grid.previous, grid.next) == (date(2027, 3, 22), date(2027, 4, 5))
