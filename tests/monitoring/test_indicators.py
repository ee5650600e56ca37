"""Indicators with known numbers: each one computed on a small agenda whose answer is worked out by hand."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.agenda.models import AgendaPeriod, Event
from apps.demand.models import Status as NeedStatus
from apps.monitoring.indicators import Filters, capacity_by_time, indicators_compute
from apps.monitoring.models import Audience
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory, at
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.monitoring import indicator_data as data
from tests.offer.factories import ServiceFactory

DONE = Event.Status.DONE

pytestmark = pytest.mark.django_db


def one(code: str, *, by: str | None = "department", user=None, **filters):
    (indicator,) = indicators_compute(user=user, filters=Filters(**filters), by=by, codes=[code])
    return indicator


def row(indicator, key: str) -> dict:
    return next(r for r in indicator.breakdown if r["key"] == key)


def muni(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def test_coverage_counts_territories_with_needs_reached_by_a_realised_event():
    NeedFactory.create_batch(2)  # Fusagasugá, twice: one territory
    NeedFactory(organization=org("25001"))
    NeedFactory(organization=org("05001"))
    NeedFactory(organization=org("25"))  # the department's own need
    NeedFactory(organization=org("05088"), status=NeedStatus.DRAFT, submitted_at=None)  # not filed
    EventFactory(status=DONE, municipalities=["25290"])
    EventFactory(status=Event.Status.PROPOSED, municipalities=["05001"])  # not realised
    done_dept = EventFactory(status=DONE, municipalities=["05088"], providers=["ANM"])
    done_dept.municipalities.clear()
    done_dept.departments.set(["25"])

    coverage = one("coverage")

    assert (coverage.numerator, coverage.denominator, coverage.value) == (2, 4, 50.0)
    assert (row(coverage, "25")["numerator"], row(coverage, "25")["denominator"]) == (2, 3)
    assert row(coverage, "25")["label"] == "Cundinamarca"
    assert row(coverage, "05")["value"] == 0.0
    by_provider = one("coverage", by="provider")
    assert {r["label"]: (r["numerator"], r["denominator"]) for r in by_provider.breakdown} == {
        "Agencia Nacional de Minería": (1, 4), "Ministerio de Vivienda, Ciudad y Territorio": (1, 4)}
    assert one("coverage", department="05").value == 0.0


def test_needs_answered_and_days_from_filing_to_the_first_realised_event():
    filed = timezone.now() - timedelta(days=30)
    attended = NeedFactory(status=NeedStatus.ATTENDED, submitted_at=filed)
    closed = NeedFactory(status=NeedStatus.CLOSED, submitted_at=filed, organization=org("05001"))
    NeedFactory.create_batch(2, submitted_at=filed)
    NeedFactory(status=NeedStatus.DRAFT, submitted_at=None)
    first = EventFactory(status=DONE, starts_at=filed + timedelta(days=4))
    later = EventFactory(status=DONE, starts_at=filed + timedelta(days=20))
    other = EventFactory(status=DONE, starts_at=filed + timedelta(days=10), municipalities=["05001"])
    first.needs.add(attended)
    later.needs.add(attended)
    other.needs.add(closed)

    answered = one("needs_answered")
    assert (answered.numerator, answered.denominator, answered.value) == (2, 4, 50.0)
    assert row(answered, "05")["value"] == 100.0
    days = one("days_to_event")
    assert days.value == pytest.approx(7.0)  # (4 + 10) / 2, the first realised event of each need
    assert days.denominator == 2
    assert row(days, "25")["value"] == pytest.approx(4.0)


def test_events_per_provider_and_joint_missions():
    EventFactory(status=DONE, providers=["MinVivienda"])
    EventFactory(status=DONE, providers=["MinVivienda", "ANM"])
    EventFactory(status=DONE, providers=["ANM"], municipalities=["05001"])
    EventFactory(status=Event.Status.CANCELLED, providers=["ANM", "MinVivienda"])

    per_provider = one("events_per_provider")
    assert (per_provider.numerator, per_provider.denominator, per_provider.value) == (4, 2, 2.0)
    assert row(per_provider, "05")["value"] == 1.0
    by_provider = {r["label"]: r["numerator"] for r in one("events_per_provider", by="provider").breakdown}
    assert by_provider == {"Agencia Nacional de Minería": 2, "Ministerio de Vivienda, Ciudad y Territorio": 2}
    joint = one("joint_missions")
    assert (joint.numerator, joint.denominator, joint.value) == (1, 3, 33.33)


def test_satisfaction_pertinence_and_response_rate():
    event = EventFactory(status=DONE)
    medellin_event = EventFactory(status=DONE, municipalities=["05001"])
    for value, ev, code in ((5, event, "25290"), (4, event, "25290"), (2, medellin_event, "05001")):
        inv = data.invitation(ev, municipality=muni(code))
        data.answer(inv, {"satisfaction": value, "pertinence": 6 - value})
    data.invitation(event, municipality=muni("25290"))  # sent, not answered
    data.invitation(event, municipality=muni("25290"), sent=False)  # not sent yet: not counted

    satisfaction = one("satisfaction")
    assert satisfaction.value == pytest.approx(3.67)
    assert (satisfaction.numerator, satisfaction.denominator) == (2, 3)  # two answered 4 or 5
    assert row(satisfaction, "25")["value"] == 4.5
    assert one("pertinence").value == pytest.approx(2.33)
    rate = one("response_rate")
    assert (rate.numerator, rate.denominator, rate.value) == (3, 4, 75.0)
    assert row(rate, "05")["value"] == 100.0


def test_capacity_change_is_the_mean_over_territory_and_capacity_of_after_minus_before():
    event = EventFactory(status=DONE, municipalities=["25290", "25001"])
    data.capacity(event, muni("25290"), "planeacion", before=2, after=4)  # +2
    data.capacity(event, muni("25001"), "planeacion", before=3, after=2)  # −1
    data.capacity(event, muni("25001"), "gestion", before=3, after=None)  # not measured after: left out

    change = one("capacity_change")
    assert change.value == 0.5
    assert (change.numerator, change.denominator) == (1, 2)
    by_capacity = one("capacity_change", by="capacity")
    assert [(r["key"], r["label"], r["value"]) for r in by_capacity.breakdown] == [("planeacion", "Planeación", 0.5)]
    assert one("capacity_change", municipality="25290").value == 2.0

    # A later "after" answer replaces the earlier one; the first "before" stays the baseline.
    data.capacity(event, muni("25290"), "planeacion", before=None, after=5)
    assert one("capacity_change", municipality="25290").value == 3.0
    assert one("capacity_change").value == 1.0

    series = capacity_by_time(user=None, municipality=muni("25290"))
    assert {(r["capacity"], r["audience"], r["mean"], r["answers"]) for r in series} == {
        ("planeacion", Audience.CAPACITY_BEFORE, 2.0, 1), ("planeacion", Audience.CAPACITY_AFTER, 4.5, 2)}


def test_plan_vs_delivered_counts_what_was_on_the_agenda_when_published():
    period = AgendaPeriod.objects.create(name="2027-T1", starts_on=at(0).date(), ends_on=at(60).date())
    need_done = NeedFactory(status=NeedStatus.ATTENDED)
    need_open = NeedFactory(status=NeedStatus.SCHEDULED)
    planned = [EventFactory(status=s, period=period) for s in (DONE, DONE, Event.Status.CANCELLED)]
    planned[0].needs.add(need_done)
    planned[2].needs.add(need_open)
    AgendaPeriod.objects.filter(pk=period.pk).update(status=AgendaPeriod.Status.PUBLISHED,
                                                     published_at=timezone.now())
    EventFactory(status=DONE, period=period)  # added after publishing: not planned
    period.refresh_from_db()
    Event.objects.filter(pk=Event.objects.latest("pk").pk).update(created_at=timezone.now() + timedelta(hours=1))

    events = one("plan_vs_delivered_events", period=period)
    assert (events.numerator, events.denominator, events.value) == (2, 3, 66.67)
    needs = one("plan_vs_delivered_needs", period=period)
    assert (needs.numerator, needs.denominator, needs.value) == (1, 2, 50.0)


def test_cost_per_territory_and_per_capacity_point():
    cheap = EventFactory(status=DONE, municipalities=["25290"])
    Event.objects.filter(pk=cheap.pk).update(cost=1_000_000)
    big = EventFactory(status=DONE, municipalities=["25290", "25001"])
    Event.objects.filter(pk=big.pk).update(cost=3_000_000)
    EventFactory(status=DONE, municipalities=["05001"])  # no cost recorded: left out
    data.capacity(cheap, muni("25290"), "planeacion", before=2, after=4)

    per_territory = one("cost_per_territory")
    assert (per_territory.numerator, per_territory.denominator, per_territory.value) == (4_000_000, 2, 2_000_000)
    per_point = one("cost_per_capacity_point")
    assert (per_point.numerator, per_point.denominator, per_point.value) == (1_000_000, 2, 500_000)


def test_sector_breakdown_follows_the_services_of_the_event():
    water = ServiceFactory(sectors=["agua-potable"])
    event = EventFactory(status=DONE)
    event.services.add(water)
    EventFactory(status=DONE)
    joint = one("events_per_provider", by="sector")
    assert {r["key"]: r["numerator"] for r in joint.breakdown} == {"agua-potable": 1, "": 1}
    assert one("events_per_provider", sector="agua-potable").numerator == 1


def _build(n: int) -> None:
    for i in range(n):
        event = EventFactory(status=DONE, providers=["MinVivienda", "ANM"][: 1 + i % 2],
                             municipalities=["25290", "05001"][: 1 + i % 2])
        Event.objects.filter(pk=event.pk).update(cost=1000 * (i + 1))
        need = NeedFactory()
        event.needs.add(need)
        inv = data.invitation(event, municipality=muni("25290"))
        data.answer(inv, {"satisfaction": 1 + i % 5, "pertinence": 3})
        data.capacity(event, muni("25290"), "planeacion", before=2, after=3)


# Queries of indicators_compute, by database and breakdown (see the count below).
EXPECTED_QUERIES = {("sqlite", "department"): 28, ("sqlite", "provider"): 28,
                    ("postgresql", "department"): 22, ("postgresql", "provider"): 27}


@pytest.mark.parametrize("by", ["department", "provider"])
def test_query_count_does_not_grow_with_rows(by):
    _build(1)
    with CaptureQueriesContext(connection) as few:
        indicators_compute(user=None, filters=Filters(), by=by)
    _build(6)
    with CaptureQueriesContext(connection) as many:
        indicators_compute(user=None, filters=Filters(), by=by)
    # The follow-up question ids (1), each indicator's national figure and breakdown (one query
    # with GROUPING SETS on PostgreSQL where each unit has one key, else two; satisfaction with
    # pertinence, capacity change with the points of the cost per point, one scan each; the costs
    # apart from the units), the breakdown's labels (1) and the 2021 baseline (1).
    assert len(few) == len(many) == EXPECTED_QUERIES[connection.vendor, by]


def test_the_2021_baseline_sits_beside_coverage_response_rate_and_capacity_change(settings, tmp_path):
    from django.conf import settings as django_settings

    from apps.surveys.models import Survey
    from apps.surveys.services import survey_import_file

    settings.MEDIA_ROOT = tmp_path
    samples = django_settings.BASE_DIR / "data" / "samples"
    survey_import_file(survey=Survey.objects.get(slug="municipios-2021"), path=samples / "municipios-2021.xlsx")

    items = {i.code: i for i in indicators_compute(user=None, filters=Filters(), by=None)}
    received = items["coverage"].baseline_2021
    assert (received["numerator"], received["denominator"], received["value"]) == (477, 560, 85.18)
    measured = items["response_rate"].baseline_2021
    assert (measured["numerator"], measured["denominator"], measured["value"]) == (94, 560, 16.79)  # 466 never did
    assert items["capacity_change"].baseline_2021 == measured
    assert items["satisfaction"].baseline_2021 is None
    cundinamarca = indicators_compute(user=None, filters=Filters(department="25"), by=None, codes=["coverage"])
    assert cundinamarca[0].baseline_2021["denominator"] < 560
