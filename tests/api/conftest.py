"""Data and callers for the schemathesis pass over the project's own OpenAPI schema."""

import pytest
from django.core import signals
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from tests.demand.factories import NeedFactory
from tests.factories import UserFactory, org
from tests.offer.factories import ServiceFactory


@pytest.fixture
def api_data(db):
    """A few rows of each kind so that generated ids sometimes hit real objects."""
    ServiceFactory.create_batch(2)
    ServiceFactory(status="borrador")
    ServiceFactory(organization=org("25290"), nationwide=False, departments=["25"])
    NeedFactory.create_batch(2)
    NeedFactory(organization=org("05001"))
    monitoring_data()


def monitoring_data():
    """A published and an open agenda period, a realised event with answered and unanswered
    follow-ups: the monitoring endpoints then answer real figures, answers and periods."""
    from datetime import date

    from django.utils import timezone

    from apps.agenda.models import AgendaPeriod, Event
    from apps.territory.models import Municipality
    from tests.agenda.factories import EventFactory
    from tests.monitoring import indicator_data

    period = AgendaPeriod.objects.create(name="2027-T1", starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31),
                                         status=AgendaPeriod.Status.PUBLISHED, published_at=timezone.now())
    AgendaPeriod.objects.create(name="2027-T2", starts_on=date(2027, 4, 1), ends_on=date(2027, 6, 30))
    event = EventFactory(status=Event.Status.DONE, period=period)
    fusa = Municipality.objects.get(code="25290")
    for level in (1, 2, 3, 4, 5, 5):
        indicator_data.answer(indicator_data.invitation(event, municipality=fusa), {"satisfaction": level})
    indicator_data.invitation(event, municipality=fusa)


@pytest.fixture
def api_setup(db, settings, api_throttle, api_data):
    settings.ALLOWED_HOSTS = ["*"]
    # Hundreds of requests a minute from one caller: the throttle has its own tests.
    api_throttle.update(anon="1000000/min", user="1000000/min", token="1000000/min")
    # schemathesis calls the WSGI app itself, so Django closes the connection after each request as
    # in production, which on PostgreSQL ends the test's transaction. Django's test client keeps it
    # open the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def token_for(email: str, code: str, role: str) -> str:
    user = UserFactory(email=email, organization=org(code), role=role)
    return Token.objects.create(user=user).key


@pytest.fixture
def coordinator_token(db):
    return token_for("carla@dnp.gov.co", "DNP", User.Role.COORDINATOR)


@pytest.fixture
def editor_token(db):
    return token_for("alice@fusagasuga.gov.co", "25290", User.Role.EDITOR)
