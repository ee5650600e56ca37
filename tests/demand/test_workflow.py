"""The status workflow: the transitions table, who may do what, and what each move records."""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections

from apps.demand import services
from apps.demand.models import TRANSITIONS, Need, NeedStatusEvent, Status
from apps.demand.permissions import TransitionError, transitions_for
from apps.territory.models import Municipality, Sector
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory

pytestmark = pytest.mark.django_db


def _data(**extra):
    return {"sector": Sector.objects.get(slug="salud"), "topic": "Plan territorial de salud",
            "capacity": "planeacion", "problem": "No tenemos quién formule el plan.",
            "expected_result": "El plan formulado.", "priority": "alta", "modality": "virtual",
            "participants": 4, **extra}


def test_it_files_a_municipal_need_as_radicada_with_an_event(alice):
    [need] = services.need_file(user=alice, data=_data(), submit=True)
    assert need.status == Status.FILED
    assert need.submitted_at is not None
    assert (need.department_id, need.municipality_id) == ("25", "25290")
    event = NeedStatusEvent.objects.get(need=need)
    assert (event.from_status, event.to_status, event.actor) == (Status.DRAFT, Status.FILED, alice)


def test_it_keeps_a_draft_until_submitted(alice):
    [need] = services.need_file(user=alice, data=_data(), submit=False)
    assert need.status == Status.DRAFT and need.submitted_at is None
    services.need_transition(user=alice, need=need, action="submit")
    need.refresh_from_db()
    assert need.status == Status.FILED


def test_a_department_files_one_need_per_municipality_on_their_behalf(dora):
    munis = list(Municipality.objects.filter(code__in=["25290", "25001"]))
    needs = services.need_file(user=dora, data=_data(), municipalities=munis, submit=True)
    assert sorted(n.municipality_id for n in needs) == ["25001", "25290"]
    assert all(n.organization == dora.organization and n.filed_on_behalf for n in needs)


def test_a_department_files_for_itself_without_municipalities(dora):
    [need] = services.need_file(user=dora, data=_data(), submit=True)
    assert need.municipality_id is None and need.department_id == "25"


def test_a_department_cannot_file_for_another_departments_municipality(dora):
    with pytest.raises(ValidationError, match="no son de Cundinamarca"):
        services.need_file(user=dora, data=_data(), municipalities=[Municipality.objects.get(code="05001")])
    assert not Need.objects.exists()


def test_national_entities_and_coordinators_do_not_file(nina, carla):
    for user in (nina, carla):
        with pytest.raises(PermissionDenied):
            services.need_file(user=user, data=_data())


def test_it_refuses_a_window_that_ends_before_it_starts(alice):
    import datetime

    with pytest.raises(ValidationError):
        services.need_file(user=alice, data=_data(window_start=datetime.date(2026, 5, 1),
                                                  window_end=datetime.date(2026, 4, 1)))


def test_the_whole_happy_path_records_every_move(alice, carla):
    need = NeedFactory()
    EventFactory().needs.add(need)  # a need is scheduled only with an event of the agenda
    for action, actor in [("review", carla), ("schedule", carla), ("attend", carla), ("close", alice)]:
        services.need_transition(user=actor, need=need, action=action)
    need.refresh_from_db()
    assert need.status == Status.CLOSED
    assert list(need.events.values_list("to_status", flat=True)) == [
        Status.IN_REVIEW, Status.SCHEDULED, Status.ATTENDED, Status.CLOSED]
    # simple_history keeps one row per save: the factory's and each move's.
    assert need.history.count() == 5


def test_reject_needs_a_reason_the_municipality_reads(carla):
    need = NeedFactory()
    with pytest.raises(ValidationError):
        services.need_transition(user=carla, need=need, action="reject")
    services.need_transition(user=carla, need=need, action="reject", reason="No es competencia del DNP.")
    need.refresh_from_db()
    assert (need.status, need.status_reason) == (Status.REJECTED, "No es competencia del DNP.")


@pytest.mark.parametrize(("status", "action", "message"), [
    (Status.DRAFT, "review", "No se puede «pasar a revisión» una solicitud en estado «Borrador»."),
    (Status.CLOSED, "reject", "No se puede «rechazar» una solicitud en estado «Cerrada»."),
    (Status.REJECTED, "schedule", "No se puede «programar en la agenda» una solicitud en estado «Rechazada»."),
    (Status.FILED, "fly", "La acción «fly» no existe."),
])
def test_illegal_moves_are_refused_in_spanish(carla, status, action, message):
    need = NeedFactory(status=status)
    with pytest.raises(TransitionError) as exc:
        services.need_transition(user=carla, need=need, action=action)
    assert str(exc.value).startswith(message)
    need.refresh_from_db()
    assert need.status == status


def test_a_municipality_cannot_review_its_own_need(alice):
    need = NeedFactory()
    with pytest.raises(TransitionError, match="Solo la coordinación DNP puede «pasar a revisión»"):
        services.need_transition(user=alice, need=need, action="review")


def test_a_coordinator_cannot_radicar_a_territorys_draft(carla, alice):
    need = NeedFactory(status=Status.DRAFT, submitted_at=None)
    with pytest.raises(TransitionError, match="Solo la entidad territorial que radicó"):
        services.need_transition(user=carla, need=need, action="submit")


def test_the_buttons_offered_follow_the_table(alice, carla, amy):
    need = NeedFactory(status=Status.IN_REVIEW)
    # "schedule" is the agenda's (accepting a match or a jornada), never a button
    assert [t.action for t in transitions_for(carla, need)] == ["reject", "redirect"]
    assert transitions_for(alice, need) == []
    assert transitions_for(amy, need) == []
    need.status = Status.ATTENDED
    assert [t.action for t in transitions_for(alice, need)] == ["close"]


def test_every_status_is_reachable_from_draft():
    reached, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        current = frontier.pop()
        for t in TRANSITIONS:
            if current in t.sources and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(Status.values)


def test_only_drafts_are_edited_and_only_by_their_organisation(alice, amy):
    need = NeedFactory(status=Status.DRAFT, submitted_at=None)
    services.need_update(user=alice, need=need, data={"topic": "Otro tema"})
    need.refresh_from_db()
    assert need.topic == "Otro tema"
    with pytest.raises(PermissionDenied):
        services.need_update(user=amy, need=need, data={"topic": "Ajeno"})
    need.status = Status.FILED
    with pytest.raises(PermissionDenied):
        services.need_update(user=alice, need=need, data={"topic": "Tarde"})


def test_a_draft_needs_only_a_topic_but_filing_needs_everything(alice):
    [draft] = services.need_file(user=alice, data={"topic": "Acueducto veredal"}, submit=False)
    assert (draft.status, draft.sector_id, draft.capacity) == (Status.DRAFT, None, "")
    with pytest.raises(ValidationError) as info:
        services.need_transition(user=alice, need=draft, action="submit")
    assert sorted(info.value.message_dict) == ["capacity", "expected_result", "problem", "sector"]
    with pytest.raises(ValidationError) as info:
        services.need_file(user=alice, data={"topic": "Acueducto veredal", "problem": "  "}, submit=True)
    assert "problem" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.need_file(user=alice, data={"topic": " "}, submit=False)
    assert Need.objects.count() == 1
    services.need_update(user=alice, need=draft, data=_data(), submit=True)
    draft.refresh_from_db()
    assert draft.status == Status.FILED


def test_filing_with_a_used_key_returns_the_first_needs_and_writes_nothing(alice, dora):
    [need] = services.need_file(user=alice, data=_data(), submit=True, submission_key="k1")
    [again] = services.need_file(user=alice, data=_data(topic="Otro"), submit=True, submission_key="k1")
    assert (again.pk, again.replayed, need.replayed) == (need.pk, True, False)
    assert (Need.objects.count(), NeedStatusEvent.objects.count()) == (1, 1)
    munis = list(Municipality.objects.filter(code__in=["25290", "25001"]))
    batch = services.need_file(user=dora, data=_data(), municipalities=munis, submit=True, submission_key="k1")
    assert services.need_file(user=dora, data=_data(), municipalities=munis, submit=True,
                              submission_key="k1") == batch
    [own] = services.need_file(user=dora, data=_data(), submit=False, submission_key="k2")
    assert services.need_file(user=dora, data=_data(), submit=False, submission_key="k2") == [own]
    assert Need.objects.count() == 4


def test_the_loser_of_a_race_gets_the_winners_need(alice, monkeypatch):
    """Both requests pass the look-up before either has written: the unique constraint refuses
    the second insert, and the service answers with the first need instead of an error."""
    winner = NeedFactory(created_by=alice, submission_key="k1", status=Status.DRAFT, submitted_at=None)
    looked_up = services._earlier_needs
    calls = []

    def not_yet_committed(user, key):  # the first look-up runs before the twin commits
        calls.append(key)
        return [] if len(calls) == 1 else looked_up(user, key)

    monkeypatch.setattr(services, "_earlier_needs", not_yet_committed)
    [need] = services.need_file(user=alice, data=_data(), submit=True, submission_key="k1")
    assert (need.pk, need.replayed, len(calls)) == (winner.pk, True, 2)
    assert Need.objects.count() == 1 and not NeedStatusEvent.objects.exists()


def test_the_loser_of_a_message_race_gets_the_winners_message(alice, monkeypatch):
    need = NeedFactory()
    winner = services.need_message_add(user=alice, need=need, body="Hola", submission_key="m1")
    looked_up, calls = services._earlier_message, []

    def not_yet_committed(user, key):
        calls.append(key)
        return None if len(calls) == 1 else looked_up(user, key)

    monkeypatch.setattr(services, "_earlier_message", not_yet_committed)
    message = services.need_message_add(user=alice, need=need, body="Hola", submission_key="m1")
    assert (message.pk, message.replayed) == (winner.pk, True)
    assert need.messages.count() == 1


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL (CI's second pass): SQLite lets one writer "
                                                     "at a time, so two requests never race there")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_file_one_need_on_postgresql():
    """Two requests with one token, in two connections released at the same instant. (Committed
    rows, so a transactional test: pytest-django runs those after the others.)"""
    from apps.territory.reference import load_reference_data
    from tests.factories import UserFactory, org

    load_reference_data()  # an earlier transactional test may have flushed it
    alice = UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    barrier, results, errors = threading.Barrier(2), [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            [need] = services.need_file(user=alice, data=_data(), submit=True, submission_key="k1")
            results.append(need.pk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and len(results) == 2 and len(set(results)) == 1
    assert Need.objects.count() == 1 and NeedStatusEvent.objects.count() == 1
