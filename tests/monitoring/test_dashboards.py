"""The monitoring dashboards: who opens what (persona tables), what they show, the exports and
the open data, closing a period from the page, and constant query counts.

The figures themselves are the indicators' (tests/monitoring/test_indicators*.py); here known
small numbers check that the pages show them and to whom.
"""

from datetime import date

import pytest

from apps.agenda.models import AgendaPeriod, Event
from apps.demand.models import Status as NeedStatus
from tests.agenda.factories import EventFactory, at
from tests.demand.factories import NeedFactory
from tests.factories import org

pytestmark = pytest.mark.django_db


def _period(status=AgendaPeriod.Status.PUBLISHED, name="2027-T1") -> AgendaPeriod:
    return AgendaPeriod.objects.create(name=name, starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31),
                                       status=status)


def _done_event(*, municipalities=("25290",), providers=("MinVivienda",), period=None, needs=(), day=0) -> Event:
    event = EventFactory(status=Event.Status.DONE, municipalities=list(municipalities), providers=list(providers),
                         starts_at=at(day))
    if period is not None:
        Event.objects.filter(pk=event.pk).update(period=period)
    event.needs.set(needs)
    return event


@pytest.fixture
def figures():
    """Two municipalities asked (Fusagasugá, Medellín); Fusagasugá got a joint mission, Medellín not."""
    period = _period()
    fusa = NeedFactory(status=NeedStatus.ATTENDED, submitted_at=at(-10))
    NeedFactory(organization=org("05001"), status=NeedStatus.FILED, submitted_at=at(-5))
    _done_event(providers=("MinVivienda", "ANM"), period=period, needs=[fusa])
    return period


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_pages_render_for_a_coordinator(client, carla, figures):
    client.force_login(carla)
    assert "Cobertura" in _html(client.get("/seguimiento/"))
    assert "Cobertura" in _html(client.get("/seguimiento/indicadores/coverage/"))
    assert "Cobertura" in _html(client.get("/seguimiento/resumen/"))
    assert "codigo" in _html(client.get("/seguimiento/datos-abiertos/diccionario/"))
    assert 'id="resultados"' in _html(client.get("/territorio/municipios/25290/"))
