"""The cast every test shares (personas), and test-run plumbing.

- alice: editor of the municipality of Fusagasugá (25290, Cundinamarca)
- amy: editor of another Cundinamarca municipality, Agua de Dios (25001)
- bob: editor of a municipality of another department, Medellín (05001, Antioquia)
- dora: editor of the department of Cundinamarca (25)
- dario: editor of the department of Antioquia (05)
- nina: editor of a national entity, MinVivienda
- nico: editor of another national entity, ANM
- carla: DNP coordinator
- adam: admin
"""

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import User
from tests.factories import UserFactory, org


def pytest_collection_modifyitems(config, items):
    # Browser tests and real-worker tests flush the database (transactional); run them last so the
    # reference data that the migrations load stays in place for every other test.
    items.sort(key=lambda item: (item.get_closest_marker("e2e") is not None,
                                 item.get_closest_marker("celery_worker") is not None))


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hashing passwords with PBKDF2 dominated the suite's time; tests need a hash, not its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def broker_backoff_reset():
    """A test that takes the broker down must not leave the outbox skipping the next tests' sends."""
    from apps.core.outbox import broker_backoff_reset

    broker_backoff_reset()
    yield
    broker_backoff_reset()


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Run tasks in-process in every test, also in CI's Redis pass (where Celery is not eager), so
    tests see their effects; the real-worker tests opt out with the `celery_worker` marker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def api_throttle(monkeypatch):
    """Every test starts with no API requests counted, in a cache of its own (in the Redis pass the
    default cache shares its database with the broker, so it is not flushed). DRF copies the rates
    at import: a test changes them through this fixture's dict."""
    from django.core.cache.backends.locmem import LocMemCache
    from rest_framework.throttling import SimpleRateThrottle

    cache = LocMemCache("api-throttle-tests", {})
    cache.clear()
    rates = dict(SimpleRateThrottle.THROTTLE_RATES)
    monkeypatch.setattr(SimpleRateThrottle, "cache", cache)
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


def _persona(email: str, code: str, role: str = User.Role.EDITOR) -> User:
    return UserFactory(email=email, organization=org(code), role=role)


@pytest.fixture
def alice(db):
    return _persona("alice@fusagasuga.gov.co", "25290")


@pytest.fixture
def amy(db):
    return _persona("amy@aguadedios.gov.co", "25001")


@pytest.fixture
def bob(db):
    return _persona("bob@medellin.gov.co", "05001")


@pytest.fixture
def dora(db):
    return _persona("dora@cundinamarca.gov.co", "25")


@pytest.fixture
def dario(db):
    return _persona("dario@antioquia.gov.co", "05")


@pytest.fixture
def nina(db):
    return _persona("nina@minvivienda.gov.co", "MinVivienda")


@pytest.fixture
def nico(db):
    return _persona("nico@anm.gov.co", "ANM")


@pytest.fixture
def carla(db):
    return _persona("carla@dnp.gov.co", "DNP", User.Role.COORDINATOR)


@pytest.fixture
def adam(db):
    return _persona("adam@dnp.gov.co", "DNP", User.Role.ADMIN)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    def login(user: User | None) -> APIClient:
        if user is not None:
            api.force_authenticate(user)
        return api

    return login


@pytest.fixture
def client_as(client):
    def login(user: User | None):
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests (real workers): an earlier one's flush emptied the reference tables
    that the migrations load, so load them again (idempotent); the 2021 workshops and the follow-up
    surveys too, as `load_reference_data` loads them."""
    from apps.knowledge.reference import load_workshops
    from apps.monitoring.definitions import load_followup_definitions
    from apps.territory.reference import load_reference_data

    load_reference_data()
    load_workshops()
    load_followup_definitions()
