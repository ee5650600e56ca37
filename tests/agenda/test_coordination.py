"""Coordination: conflicts in one territory, trips, load, waiting needs, conflict notices."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.agenda import selectors, services
from apps.agenda.models import Status
from apps.core.models import Notification
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory, at
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_two_providers_in_one_municipality_within_the_window_are_a_conflict(carla):
    first = EventFactory()
    second = EventFactory(providers=["ANM"], starts_at=at(10))
    EventFactory(providers=["ANM"], starts_at=at(40))  # outside the 15-day window
    EventFactory(municipalities=["05001"], providers=["ANM"])  # another municipality
    (group,) = selectors.conflict_groups(user=carla)
    assert group.event_ids == [first.pk, second.pk]
    assert group.territory.code == "25290"
    assert {o.name for o in group.providers} == {org("MinVivienda").name, org("ANM").name}


def test_the_window_is_configurable(carla, settings):
    EventFactory()
    EventFactory(providers=["ANM"], starts_at=at(10))
    settings.AGENDA_CONFLICT_WINDOW_DAYS = 5
    assert selectors.conflict_groups(user=carla) == []


def test_the_same_provider_twice_is_not_a_conflict_nor_a_cancelled_event(carla):
    EventFactory()
    EventFactory(starts_at=at(3))
    EventFactory(providers=["ANM"], starts_at=at(5), status=Status.CANCELLED)
    assert selectors.conflict_groups(user=carla) == []


def test_conflicts_filter_by_department_and_dates(carla):
    EventFactory()
    EventFactory(providers=["ANM"], starts_at=at(2))
    assert selectors.conflict_groups(user=carla, department="05") == []
    assert len(selectors.conflict_groups(user=carla, department="25")) == 1
    assert selectors.conflict_groups(user=carla, date_from=at(30).date()) == []


def test_merging_a_conflict_leaves_no_conflict(carla):
    EventFactory()
    EventFactory(providers=["ANM"], starts_at=at(2))
    (group,) = selectors.conflict_groups(user=carla)
    mission = services.events_merge(user=carla, events=group.events)
    assert selectors.conflict_groups(user=carla) == []
    assert mission.is_joint


def test_a_new_conflicting_event_notifies_both_entities_once(carla, nina, nico):
    EventFactory()
    data = {"title": "Visita ANM", "kind": "asistencia_tecnica", "starts_at": at(3), "ends_at": at(3, 12),
            "modality": "presencial", "providers": [org("ANM")],
            "municipalities": [Municipality.objects.get(code="25290")]}
    event = services.event_create(user=nico, data=data)
    notices = Notification.objects.filter(kind="agenda_conflict")
    assert sorted(n.recipient.email for n in notices) == [nico.email, nina.email]
    services.conflicts_notify(event=event)  # the same pair again: no new notice
    assert notices.count() == 2


def test_presencial_visits_of_one_provider_in_one_department_are_suggested_as_a_trip(carla):
    a = EventFactory()
    b = EventFactory(municipalities=["25001"], starts_at=at(3))
    EventFactory(municipalities=["25001"], starts_at=at(3), modality="virtual")
    EventFactory(municipalities=["05001"], starts_at=at(3))
    (trip,) = selectors.trip_suggestions(user=carla)
    assert trip.event_ids == [a.pk, b.pk]
    assert trip.department.code == "25"
    assert [m.code for m in trip.municipalities] == ["25001", "25290"]


def test_service_load_counts_this_years_events_against_capacity(carla):
    service = ServiceFactory(yearly_capacity=10)
    now = timezone.now()
    for status in (Status.CONFIRMED, Status.DONE, Status.CANCELLED):
        EventFactory(status=status, starts_at=now, ends_at=now).services.add(service)
    EventFactory(starts_at=now - timedelta(days=400), ends_at=now - timedelta(days=400)).services.add(service)
    (row,) = selectors.service_load(user=carla).filter(pk=service.pk)
    assert (row.events_this_year, row.yearly_capacity) == (2, 10)


def test_entity_load_counts_each_entitys_events(carla):
    now = timezone.now()
    EventFactory(starts_at=now, ends_at=now)
    EventFactory(starts_at=now, ends_at=now, status=Status.DONE)
    EventFactory(starts_at=now, ends_at=now, providers=["ANM"])
    rows = {o.name: (o.events_total, o.events_planned, o.events_done) for o in selectors.entity_load(user=carla)}
    assert rows[org("MinVivienda").name] == (2, 1, 1)
    assert rows[org("ANM").name] == (1, 1, 0)


def test_needs_waiting_too_long_without_an_event_are_flagged(carla, settings):
    settings.AGENDA_WAITING_DAYS = 30
    old = NeedFactory(submitted_at=timezone.now() - timedelta(days=45))
    NeedFactory(submitted_at=timezone.now() - timedelta(days=5))
    planned = NeedFactory(submitted_at=timezone.now() - timedelta(days=45))
    EventFactory().needs.add(planned)
    assert list(selectors.waiting_needs(user=carla)) == [old]


def test_the_conflict_report_runs_a_constant_number_of_queries(carla, django_assert_num_queries):
    for i in range(6):
        EventFactory(starts_at=at(i), providers=["ANM" if i % 2 else "MinVivienda"],
                     municipalities=["25290", "25001"])
    # events (with period), providers, municipalities (with departments), departments, services
    with django_assert_num_queries(5):
        groups = selectors.conflict_groups(user=carla)
    assert len(groups) == 1  # the same events in two municipalities: reported once
