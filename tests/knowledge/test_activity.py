"""The territories' memory: the services of demand, agenda and offer write their activity rows once,
and `activity_rebuild` writes exactly the same rows from what is stored (and nothing on a second run)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.agenda import services as agenda_services
from apps.agenda.models import AgendaPeriod, Event
from apps.core.models import Activity
from apps.demand import services as demand_services
from apps.demand.models import Status as NeedStatus
from apps.offer import services as offer_services
from apps.offer.models import Service
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db

FIELDS = ("key", "kind", "title", "text", "link", "occurred_at", "municipality_id", "department_id",
          "organization_id", "actor_id", "data", "public")


def rows() -> list[tuple]:
    return list(Activity.objects.order_by("key").values_list(*FIELDS))


def _past_event(**kwargs) -> Event:
    start = timezone.now() - timedelta(days=3)
    return EventFactory(starts_at=start, ends_at=start + timedelta(hours=4), **kwargs)


def test_filing_a_need_writes_one_private_row_for_its_municipality(alice):
    need = demand_services.need_file(user=alice, submit=True, data={
        "topic": "Acueducto veredal", "sector": NeedFactory.build().sector, "capacity": "planeacion",
        "problem": "No hay diseños.", "expected_result": "Un proyecto formulado."})[0]
    row = Activity.objects.get()
    assert (row.kind, row.municipality_id, row.department_id, row.public) == ("need.filed", "25290", "25", False)
    assert row.title == "Solicitud radicada: Acueducto veredal"
    assert row.link == need.get_absolute_url() and row.actor == alice
    assert row.data["need"] == need.pk


def test_only_the_moves_that_matter_are_remembered(carla):
    need = NeedFactory()
    demand_services.need_transition(user=carla, need=need, action="review")
    assert not Activity.objects.exists()
    demand_services.need_transition(user=carla, need=need, action="reject", reason="No es competencia del DNP.")
    row = Activity.objects.get()
    assert row.kind == "need.rejected" and row.text == "No es competencia del DNP."


def test_an_event_writes_one_row_per_territory_and_per_provider(carla):
    event = EventFactory(providers=["MinVivienda", "25"], municipalities=["25290", "25001"])
    event.departments.set(["25"])
    agenda_services.event_transition(user=carla, event=event, action="confirm")
    confirmed = Activity.objects.filter(kind="event.confirmed")
    places = sorted((r.municipality_id or "", r.department_id or "", r.organization_id or 0) for r in confirmed)
    assert places == sorted([("25001", "25", 0), ("25290", "25", 0), ("", "25", 0),
                             ("", "", org("MinVivienda").pk), ("", "", org("25").pk)])
    assert {r.title for r in confirmed} == {f"Jornada confirmada: {event.title}"}
    territory_row = confirmed.get(municipality_id="25290")
    assert "Ministerio de Vivienda" in territory_row.text and not territory_row.public


def test_realising_an_event_remembers_it_and_its_needs(carla):
    need = NeedFactory(status=NeedStatus.SCHEDULED)
    event = _past_event(status=Event.Status.CONFIRMED)
    event.needs.add(need)
    agenda_services.event_transition(user=carla, event=event, action="complete")
    assert Activity.objects.filter(kind="event.done", municipality_id="25290").count() == 1
    assert Activity.objects.filter(kind="need.attended", data__need=need.pk).count() == 1


def test_cancelling_and_rescheduling_are_remembered_with_their_reason(carla):
    event = EventFactory(status=Event.Status.CONFIRMED)
    other = EventFactory(status=Event.Status.CONFIRMED)
    agenda_services.event_transition(user=carla, event=event, action="cancel", reason="Paro de transportadores")
    new_start = event.starts_at + timedelta(days=7)
    agenda_services.event_transition(user=carla, event=other, action="reschedule", reason="Cambio de alcalde",
                                     starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    cancelled = Activity.objects.get(kind="event.cancelled", municipality_id="25290")
    rescheduled = Activity.objects.get(kind="event.rescheduled", municipality_id="25290")
    assert "Paro de transportadores" in cancelled.text and "Cambio de alcalde" in rescheduled.text


def test_a_second_confirmation_after_rescheduling_is_a_new_row(carla):
    event = EventFactory()
    agenda_services.event_transition(user=carla, event=event, action="confirm")
    new_start = event.starts_at + timedelta(days=7)
    agenda_services.event_transition(user=carla, event=event, action="reschedule", reason="Lluvias",
                                     starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    agenda_services.event_transition(user=carla, event=event, action="confirm")
    assert Activity.objects.filter(kind="event.confirmed", municipality_id="25290").count() == 2


def test_publishing_the_period_makes_its_event_rows_public(carla):
    period = agenda_services.period_create(user=carla, name="2027-T1", starts_on=timezone.localdate(),
                                           ends_on=timezone.localdate() + timedelta(days=400))
    event = EventFactory(period=period)
    agenda_services.event_transition(user=carla, event=event, action="confirm")
    assert not Activity.objects.filter(kind="event.confirmed", public=True).exists()
    agenda_services.period_publish(user=carla, period=period)
    assert period.status == AgendaPeriod.Status.PUBLISHED
    assert Activity.objects.filter(kind="event.confirmed").count() == 2
    assert not Activity.objects.filter(kind="event.confirmed", public=False).exists()


def test_publishing_a_service_is_remembered_by_its_organisation_only(nina):
    service = ServiceFactory(organization=org("MinVivienda"), status=Service.Status.DRAFT, published_at=None)
    offer_services.service_transition(user=nina, service=service, status=Service.Status.PUBLISHED)
    row = Activity.objects.get()
    assert (row.kind, row.organization_id, row.municipality_id, row.department_id) == (
        "service.published", org("MinVivienda").pk, None, None)


def test_a_retried_write_is_a_no_op(carla):
    from apps.agenda.activity import event_status_record
    from apps.demand.activity import need_status_record

    need = NeedFactory()
    demand_services.need_transition(user=carla, need=need, action="reject", reason="Duplicada")
    event = EventFactory()
    agenda_services.event_transition(user=carla, event=event, action="confirm")
    before = rows()
    need_status_record(need=need, status_event=need.events.last())
    event_status_record(event=event, status_event=event.status_events.last())
    assert rows() == before


def _history(alice, carla, nina):
    """A bit of everything, written through the services."""
    need = demand_services.need_file(user=alice, submit=True, data={
        "topic": "Plan de gestión del riesgo", "sector": NeedFactory.build().sector, "capacity": "planeacion",
        "problem": "Sin plan.", "expected_result": "Un plan adoptado."})[0]
    event = _past_event(status=Event.Status.PROPOSED, municipalities=["25290", "25001"])
    event.needs.add(need)
    agenda_services.event_transition(user=carla, event=event, action="confirm")
    agenda_services.event_transition(user=carla, event=event, action="complete")
    cancelled = EventFactory(providers=["ANM"], municipalities=["05001"])
    agenda_services.event_transition(user=carla, event=cancelled, action="cancel", reason="Sin presupuesto")
    rejected = NeedFactory(organization=org("05001"))
    demand_services.need_transition(user=carla, need=rejected, action="reject", reason="Duplicada")
    service = ServiceFactory(organization=org("MinVivienda"), status=Service.Status.DRAFT, published_at=None)
    offer_services.service_transition(user=nina, service=service, status=Service.Status.PUBLISHED)


def test_rebuild_writes_exactly_what_the_services_wrote(alice, carla, nina):
    _history(alice, carla, nina)
    written = rows()
    assert len(written) > 10
    Activity.objects.all().delete()
    call_command("activity_rebuild", stdout=StringIO())
    assert rows() == written


def test_rebuild_is_idempotent_and_leaves_the_services_rows_alone(alice, carla, nina):
    _history(alice, carla, nina)
    written = rows()
    call_command("activity_rebuild", stdout=StringIO())
    call_command("activity_rebuild", stdout=StringIO())
    assert rows() == written


def test_rebuild_marks_the_rows_of_published_events_public(carla):
    period = agenda_services.period_create(user=carla, name="2027-T1", starts_on=timezone.localdate(),
                                           ends_on=timezone.localdate() + timedelta(days=400))
    event = EventFactory(period=period)
    agenda_services.event_transition(user=carla, event=event, action="confirm")
    AgendaPeriod.objects.filter(pk=period.pk).update(status=AgendaPeriod.Status.PUBLISHED)
    call_command("activity_rebuild", stdout=StringIO())
    assert Activity.objects.filter(kind="event.confirmed", municipality=Municipality.objects.get(code="25290"),
                                   public=True).exists()
