"""How the indicators ask the database: the shape of their SQL (the figures are in test_indicators*.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.agenda.models import Event
from apps.monitoring.indicators import Filters, _direct_followup_join, indicators_compute
from apps.monitoring.models import Audience
from apps.surveys.models import Answer
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.factories import org
from tests.monitoring import indicator_data as data

pytestmark = pytest.mark.django_db


def _answers_with_followups():
    event = EventFactory(status=Event.Status.DONE, cost=10_000_000)
    fusa = Municipality.objects.get(code="25290")
    data.answer(data.invitation(event, municipality=fusa), {"satisfaction": 5, "pertinence": 4})
    data.answer(data.invitation(event, municipality=fusa), {"satisfaction": 2, "pertinence": 3})
    data.capacity(event, fusa, "planeacion", before=2, after=4)
    return event


@pytest.mark.parametrize("by", ["department", "category", "sector", "provider", "capacity", None])
def test_answer_indicators_join_answers_straight_to_their_followup(by):
    """answer → invitation on submission_id, not answer → submission → invitation (a hash of every
    submission per query); the figures stay those of the known-number tests."""
    _answers_with_followups()
    with CaptureQueriesContext(connection) as queries:
        indicators = {i.code: i for i in indicators_compute(user=None, filters=Filters(), by=by)}
    answer_queries = [q["sql"] for q in queries.captured_queries
                      if '"surveys_answer"' in q["sql"] and '"monitoring_invitation"' in q["sql"]]
    assert answer_queries  # satisfaction, pertinence and the capacity pairs
    for sql in answer_queries:
        assert '"surveys_submission"' not in sql
        assert '("surveys_answer"."submission_id" = "monitoring_invitation"."submission_id")' in sql
    assert indicators["satisfaction"].value == 3.5
    assert indicators["pertinence"].value == 3.5
    assert indicators["capacity_change"].value == 2.0
    assert indicators["cost_per_capacity_point"].value == 5_000_000.0


def test_the_submission_stays_when_the_query_uses_it_or_may_lack_a_followup():
    used = (Answer.objects.filter(submission__followup__isnull=False, submission__finished_at__lte=timezone.now())
            .values("pk", "submission__followup__audience"))
    sql = str(used.query)
    assert _direct_followup_join(sql) == sql
    optional = Answer.objects.values("pk", "submission__followup__audience")
    sql = str(optional.query)
    assert "LEFT OUTER JOIN" in sql
    assert _direct_followup_join(sql) == sql
    required = Answer.objects.filter(submission__followup__audience=Audience.CAPACITY_AFTER).values("pk")
    sql = str(required.query)
    assert '"surveys_submission"' not in _direct_followup_join(sql)


@pytest.mark.parametrize("by", ["provider", "sector"])
def test_capacity_pairs_by_provider_or_sector_take_one_scan_for_national_and_breakdown(by):
    """A pair measured before in one provider's event and after in another's counts nationally,
    under neither provider; a pair measured in a joint mission counts under both."""
    minvivienda, anm = org("MinVivienda"), org("ANM")
    before_event = EventFactory(status=Event.Status.DONE, providers=["MinVivienda"], municipalities=["25290"])
    after_event = EventFactory(status=Event.Status.DONE, providers=["ANM"], municipalities=["25290"])
    joint = EventFactory(status=Event.Status.DONE, providers=["MinVivienda", "ANM"], municipalities=["05001"])
    fusa, medellin = Municipality.objects.get(code="25290"), Municipality.objects.get(code="05001")
    data.capacity(before_event, fusa, "planeacion", before=2, after=None)
    data.capacity(after_event, fusa, "planeacion", before=None, after=5)  # +3 nationally only
    data.capacity(joint, medellin, "gestion", before=1, after=2)  # +1 everywhere
    with CaptureQueriesContext(connection) as queries:
        (change,) = indicators_compute(user=None, filters=Filters(), by=by, codes=["capacity_change"])
    pair_queries = [q for q in queries.captured_queries if "last_c" in q["sql"]]
    assert len(pair_queries) == 1
    assert (change.value, change.numerator, change.denominator) == (2.0, 4.0, 2.0)
    if by == "provider":
        got = {r["key"]: (r["value"], r["numerator"], r["denominator"]) for r in change.breakdown}
        assert got == {str(minvivienda.pk): (1.0, 1.0, 1.0), str(anm.pk): (1.0, 1.0, 1.0)}
