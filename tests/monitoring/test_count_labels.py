"""The indicator pages say what the numerator and denominator count, in plain words, instead of
«Numerador» / «Denominador»; the exports say «Casos» / «De un total de»; the open-data CSV keeps
its stable column names (numerador, denominador: see test_dashboards)."""

import io
import re

import pytest
from openpyxl import load_workbook

from apps.monitoring import dashboards as dash
from apps.monitoring.indicators import definitions
from tests.monitoring.test_dashboards import _html, _period
from tests.monitoring.test_dashboards import figures as figures  # noqa: F401 - a fixture
from tests.monitoring.test_dashboards import period as period  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_every_indicator_has_plain_labels():
    assert set(dash.COUNT_LABELS) == set(definitions())
    assert dash.count_labels("coverage") == ("Territorios atendidos", "De territorios con solicitudes")
    assert dash.count_labels("nada") == ("Casos", "De un total de")


def test_the_pages_name_what_is_counted(client, carla, figures):  # noqa: F811 - the fixture
    client.force_login(carla)
    for url in ("/seguimiento/", "/seguimiento/?indicator=coverage", "/seguimiento/indicadores/coverage/",
                "/seguimiento/indicadores/joint_missions/?by=provider"):
        html = _html(client.get(url))
        # (the formulas themselves may still say "Numerador: respuestas 4 o 5")
        assert not re.search(r"(Numerador|Denominador)(</th>|\"|: [\d—])", html), url
    table = _html(client.get("/seguimiento/?indicator=coverage"))
    assert '<th scope="col" class="num">Territorios atendidos</th>' in table
    assert '<td data-label="De territorios con solicitudes" class="num"' in table
    page = _html(client.get("/seguimiento/indicadores/joint_missions/?by=provider"))
    assert "Misiones conjuntas: 1 · de jornadas realizadas: 1" in page


def test_the_exports_say_cases_of_a_total(client, carla, figures):  # noqa: F811 - the fixture
    client.force_login(carla)
    response = client.get("/seguimiento/exportar/?table=indicators")
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert header[4:6] == ("Casos", "De un total de")
    response = client.get("/seguimiento/exportar/?table=breakdown&indicator=coverage")
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert header[7:9] == ("Casos", "De un total de")
    assert "numerador" in dash.open_data_columns() and "denominador" in dash.open_data_columns()
    assert _period  # the open data keeps its columns (test_dashboards pins them)
