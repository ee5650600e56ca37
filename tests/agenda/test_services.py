"""The agenda's writes: events, holidays, the workflow and its effect on needs, matches, merges, periods."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.agenda import services
from apps.agenda.models import AgendaPeriod, Event, Status
from apps.agenda.permissions import TransitionError
from apps.demand import services as demand_services
from apps.demand.models import Status as NeedStatus
from apps.demand.permissions import TransitionError as NeedTransitionError
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory, at
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _data(**overrides) -> dict:
    data = {"title": "Taller de formulación de proyectos", "kind": Event.Kind.WORKSHOP,
            "starts_at": at(0), "ends_at": at(0, 12), "modality": "presencial", "place": "Casa de la cultura",
            "providers": [org("MinVivienda")], "municipalities": [Municipality.objects.get(code="25290")],
            "attendees": [{"name": "Ana Gómez", "email": "Ana@Fusagasuga.gov.co", "organization_name": "Alcaldía"}]}
    return data | overrides


def test_it_creates_a_proposal_with_its_attendees_and_history(nina):
    event = services.event_create(user=nina, data=_data())
    assert event.status == Status.PROPOSED
    assert [a.email for a in event.attendees.all()] == ["ana@fusagasuga.gov.co"]
    assert list(event.status_events.values_list("to_status", flat=True)) == [Status.PROPOSED]
    assert event.history.earliest().history_change_reason == "Propuesta"


def test_it_refuses_a_colombian_holiday_naming_it_unless_confirmed(carla):
    holiday = at(20)  # 2027-03-22, Día de San José (observado)
    with pytest.raises(ValidationError) as error:
        services.event_create(user=carla, data=_data(starts_at=holiday, ends_at=holiday + timedelta(hours=3)))
    message = error.value.message_dict["starts_at"][0]
    assert "lunes 22 de marzo de 2027" in message and "Día de San José" in message
    event = services.event_create(user=carla, data=_data(starts_at=holiday, ends_at=holiday + timedelta(hours=3)),
                                  confirm_non_working_day=True)
    assert event.pk


def test_it_refuses_a_weekend_day(carla):
    saturday = at(4)
    with pytest.raises(ValidationError) as error:
        services.event_create(user=carla, data=_data(starts_at=saturday, ends_at=saturday + timedelta(hours=2)))
    assert "sábado 6 de marzo de 2027 es fin de semana" in error.value.message_dict["starts_at"][0]


def test_an_entity_editor_proposes_only_for_its_own_organisation(nina, nico):
    with pytest.raises(ValidationError) as error:
        services.event_create(user=nico, data=_data())
    assert "Su organización debe estar" in error.value.message_dict["providers"][0]
    other = ServiceFactory(organization=org("ANM"))
    with pytest.raises(ValidationError):
        services.event_create(user=nina, data=_data(services=[other]))


def test_municipalities_do_not_create_events(alice):
    with pytest.raises(PermissionDenied):
        services.event_create(user=alice, data=_data(providers=[org("25290")]))


def test_a_need_cannot_be_scheduled_without_an_event(carla):
    need = NeedFactory()
    with pytest.raises(NeedTransitionError, match="jornada de la agenda"):
        demand_services.need_transition(user=carla, need=need, action="schedule")
    need.refresh_from_db()
    assert need.status == NeedStatus.FILED


def test_accepting_a_match_creates_the_event_and_schedules_the_need(carla):
    need = NeedFactory()
    service = ServiceFactory()
    event = services.match_accept(user=carla, need=need, service=service, starts_at=at(0), ends_at=at(0, 12))
    need.refresh_from_db()
    assert need.status == NeedStatus.SCHEDULED
    assert list(event.needs.all()) == [need]
    assert list(event.services.all()) == [service]
    assert list(event.providers.all()) == [service.organization]
    assert [m.code for m in event.municipalities.all()] == ["25290"]


def test_accepting_a_match_on_a_holiday_is_refused_and_nothing_changes(carla):
    need = NeedFactory()
    holiday = at(20)
    with pytest.raises(ValidationError):
        services.match_accept(user=carla, need=need, service=ServiceFactory(), starts_at=holiday,
                              ends_at=holiday + timedelta(hours=2))
    need.refresh_from_db()
    assert need.status == NeedStatus.FILED and not Event.objects.exists()


def test_accepting_a_match_into_an_existing_event_extends_it(carla):
    event = EventFactory()
    need = NeedFactory(organization=org("25001"))
    service = ServiceFactory(organization=org("ANM"))
    services.match_accept(user=carla, need=need, service=service, event=event)
    assert {m.code for m in event.municipalities.all()} == {"25290", "25001"}
    assert {o.name for o in event.providers.all()} == {org("MinVivienda").name, org("ANM").name}
    need.refresh_from_db()
    assert need.status == NeedStatus.SCHEDULED


def test_only_coordinators_accept_matches(nina):
    with pytest.raises(PermissionDenied):
        services.match_accept(user=nina, need=NeedFactory(), service=ServiceFactory())


def test_realising_an_event_attends_its_needs(carla):
    need = NeedFactory()
    event = services.match_accept(user=carla, need=need, service=ServiceFactory(), starts_at=at(0), ends_at=at(0, 12))
    services.event_transition(user=carla, event=event, action="confirm")
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(days=1),
                                             ends_at=timezone.now() - timedelta(hours=20))
    event.refresh_from_db()
    services.event_transition(user=carla, event=event, action="complete")
    need.refresh_from_db()
    assert (event.status, need.status) == (Status.DONE, NeedStatus.ATTENDED)


def test_an_event_is_not_realised_before_it_starts(carla):
    event = EventFactory(status=Status.CONFIRMED, starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(TransitionError, match="aún no ha empezado"):
        services.event_transition(user=carla, event=event, action="complete")


def test_cancelling_sends_its_needs_back_to_review_with_the_reason(carla):
    need = NeedFactory()
    event = services.match_accept(user=carla, need=need, service=ServiceFactory(), starts_at=at(0), ends_at=at(0, 12))
    with pytest.raises(ValidationError):
        services.event_transition(user=carla, event=event, action="cancel")
    services.event_transition(user=carla, event=event, action="cancel", reason="La alcaldía pidió aplazar.")
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_REVIEW
    assert "La alcaldía pidió aplazar." in need.status_reason


def test_rescheduling_moves_the_dates_back_to_proposed_and_keeps_the_old_ones(carla):
    event = EventFactory(status=Status.CONFIRMED)
    old = event.starts_at
    services.event_transition(user=carla, event=event, action="reschedule", reason="Cruce con el concejo.",
                              starts_at=at(7), ends_at=at(7, 12))
    event.refresh_from_db()
    assert (event.status, event.starts_at) == (Status.PROPOSED, at(7))
    moves = list(event.status_events.values_list("from_status", "to_status", "previous_starts_at"))
    assert moves == [(Status.CONFIRMED, Status.RESCHEDULED, old), (Status.RESCHEDULED, Status.PROPOSED, None)]


def test_rescheduling_onto_a_holiday_is_refused(carla):
    event = EventFactory()
    with pytest.raises(ValidationError, match="Día de San José"):
        services.event_transition(user=carla, event=event, action="reschedule", reason="x",
                                  starts_at=at(20), ends_at=at(20, 12))


def test_providers_cancel_their_proposals_but_only_coordinators_confirm(nina, nico, carla):
    event = EventFactory()
    with pytest.raises(TransitionError, match="Solo la coordinación DNP"):
        services.event_transition(user=nina, event=event, action="confirm")
    with pytest.raises(TransitionError):
        services.event_transition(user=nico, event=event, action="cancel", reason="No es mía")
    services.event_transition(user=nina, event=event, action="cancel", reason="Sin presupuesto")
    assert event.status == Status.CANCELLED


def test_merging_carries_everything_over_and_links_the_sources(carla):
    need_a, need_b = NeedFactory(), NeedFactory(organization=org("25001"))
    first = services.match_accept(user=carla, need=need_a, service=ServiceFactory(), starts_at=at(0),
                                  ends_at=at(0, 12))
    second = services.match_accept(user=carla, need=need_b, service=ServiceFactory(organization=org("ANM")),
                                   starts_at=at(2), ends_at=at(2, 12))
    second.attendees.create(name="Luis", email="luis@aguadedios.gov.co")
    mission = services.events_merge(user=carla, events=[second, first])
    assert mission.pk == first.pk
    assert {o.pk for o in mission.providers.all()} == {org("MinVivienda").pk, org("ANM").pk}
    assert set(mission.needs.all()) == {need_a, need_b}
    assert {m.code for m in mission.municipalities.all()} == {"25290", "25001"}
    assert [a.email for a in mission.attendees.all()] == ["luis@aguadedios.gov.co"]
    second.refresh_from_db()
    assert (second.status, second.merged_into_id) == (Status.CANCELLED, mission.pk)
    assert list(mission.merged_sources.all()) == [second]
    need_b.refresh_from_db()
    assert need_b.status == NeedStatus.SCHEDULED  # its event lives on in the mission


def test_merging_needs_two_active_events(carla, nina):
    event = EventFactory()
    with pytest.raises(ValidationError):
        services.events_merge(user=carla, events=[event])
    with pytest.raises(PermissionDenied):
        services.events_merge(user=nina, events=[event, EventFactory()])


def test_publishing_a_period_collects_its_events(carla):
    inside, outside = EventFactory(), EventFactory(starts_at=at(60))
    period = services.period_create(user=carla, name="2027-T1", starts_on=at(-1).date(), ends_on=at(28).date())
    services.period_publish(user=carla, period=period)
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert (inside.period_id, outside.period_id) == (period.pk, None)
    assert period.status == AgendaPeriod.Status.PUBLISHED and period.published_by == carla
    with pytest.raises(ValidationError):
        services.period_publish(user=carla, period=period)


def test_a_past_assistance_is_recorded_as_realised(carla):
    need = NeedFactory()
    past = timezone.now() - timedelta(days=40)
    event = services.event_create(user=carla, data=_data(starts_at=past, ends_at=past + timedelta(hours=3),
                                                         recorded_after_the_fact=True, needs=[need]))
    need.refresh_from_db()
    assert (event.status, need.status) == (Status.DONE, NeedStatus.ATTENDED)


def test_rotating_a_feed_changes_its_secret(nina, nico):
    feed = services.feed_get_or_create(user=nina, organization=nina.organization)
    old = feed.token
    assert services.feed_rotate(user=nina, organization=nina.organization).token != old
    with pytest.raises(PermissionDenied):
        services.feed_rotate(user=nico, organization=nina.organization)


def test_non_working_days_lists_holidays_and_weekends():
    days = services.non_working_days(at(18).date(), at(20).date())
    assert [name for _day, name in days] == ["sábado", "domingo", "Día de San José (observado)"]
