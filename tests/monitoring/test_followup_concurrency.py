"""Two submits of one follow-up link at the same instant, in two connections: one answer is
recorded, the other request records nothing (the claim on `answered_at IS NULL` waits for the
first transaction and then finds the invitation answered)."""

import threading

import pytest
from django.conf import settings
from django.db import connections

from apps.monitoring.models import Audience, Invitation
from apps.monitoring.services import followup_answer
from apps.surveys.models import Answer, Submission

GOOD = {"T01": 4, "T02": 5, "T03": 3, "T04": 4, "T05": 5, "T06": "Sí", "T07": "Sí"}


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL (CI's second pass): SQLite lets one writer "
                                                     "at a time, so two requests never race there")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_record_one_answer_on_postgresql(reference_data):
    from apps.accounts.models import User
    from apps.agenda.services import event_transition
    from apps.demand.models import Need
    from tests.factories import UserFactory, org
    from tests.monitoring.followup_helpers import confirmed_event

    carla = UserFactory(email="carla@dnp.gov.co", organization=org("DNP"), role=User.Role.COORDINATOR)
    UserFactory(email="alice@fusagasuga.gov.co", organization=org("25290"))
    event = confirmed_event()
    event_transition(user=carla, event=event, action="complete")
    pk = Invitation.objects.get(event=event, audience=Audience.TERRITORY, email="laura@fusagasuga.gov.co").pk
    barrier, results, errors = threading.Barrier(2), [], []

    def submit():
        try:
            invitation = Invitation.objects.select_related("template__survey", "event").get(pk=pk)
            barrier.wait(timeout=10)
            results.append(followup_answer(invitation=invitation, answers=GOOD))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(r is not None for r in results) == [False, True]
    assert Submission.objects.filter(source_key=f"followup:{pk}").count() == 1
    assert Answer.objects.filter(submission__source_key=f"followup:{pk}", question__key="T01").count() == 1
    assert Need.objects.filter(status="borrador").count() == 1  # one draft need, not two
