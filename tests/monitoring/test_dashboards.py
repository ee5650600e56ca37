"""The monitoring dashboards: who opens what (persona tables), what they show, the exports and
the open data, closing a period from the page, the results panels, and constant query counts.

The figures themselves are the indicators' (tests/monitoring/test_indicators*.py); here known
small numbers check that the pages show them, and to whom.
"""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.agenda.models import AgendaPeriod, Event
from apps.demand.models import Status as NeedStatus
from apps.monitoring import dashboards as dash
from apps.monitoring.charts import bar_chart, number_text, value_text
from apps.monitoring.indicators import definitions
from apps.monitoring.models import FrozenPeriod
from apps.surveys.models import Answer, Question
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory, at
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.monitoring import indicator_data as data

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "alice", "amy", "bob", "dora", "nina", "carla", "adam")
# The open data's columns, in this order, for good: a change here breaks every reuser's script.
OPEN_DATA_HEADER = ["periodo", "periodo_desde", "periodo_hasta", "codigo", "indicador", "unidad", "desagregacion",
                    "clave", "nombre", "valor", "numerador", "denominador", "cifras_congeladas", "congeladas_el",
                    "linea_base_2021", "linea_base_2021_descripcion", "formula"]


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
def period():
    return _period()


@pytest.fixture
def figures(period):
    """Fusagasugá and Medellín filed needs; Fusagasugá's was answered by a joint mission
    (MinVivienda + ANM): coverage 50 %, Cundinamarca 100 %, Antioquia 0 %."""
    fusa = NeedFactory(status=NeedStatus.ATTENDED, submitted_at=at(-10))
    NeedFactory(organization=org("05001"), status=NeedStatus.FILED, submitted_at=at(-5))
    return _done_event(providers=("MinVivienda", "ANM"), period=period, needs=[fusa])


def _client(client, request, persona: str):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _satisfaction(event, municipality_code: str, values: list[int]) -> None:
    muni = Municipality.objects.get(code=municipality_code)
    for value in values:
        data.answer(data.invitation(event, municipality=muni), {"satisfaction": value})


# --- Who opens what ----------------------------------------------------------------------------

ALL_200 = dict.fromkeys(PERSONAS, 200)
COORDINATORS = {**dict.fromkeys(PERSONAS, 403), "anonymous": 302, "carla": 200, "adam": 200}
# Fusagasugá's own people: its editor (alice), its department's (dora) and the coordinators.
FUSA_OWN = {**dict.fromkeys(PERSONAS, 404), "alice": 200, "dora": 200, "carla": 200, "adam": 200}

TABLE = [
    ("/seguimiento/", COORDINATORS),
    ("/seguimiento/periodos/{period}/cerrar/", COORDINATORS),
    ("/seguimiento/indicadores/coverage/", ALL_200),
    ("/seguimiento/indicadores/capacity_change/?by=capacity", ALL_200),
    ("/seguimiento/indicadores/no-existe/", dict.fromkeys(PERSONAS, 404)),
    ("/seguimiento/resumen/", ALL_200),
    ("/seguimiento/exportar/?table=indicators", ALL_200),
    ("/seguimiento/exportar/?table=breakdown&indicator=coverage&by=sector&format=csv", ALL_200),
    ("/seguimiento/exportar/?table=breakdown&indicator=nada", dict.fromkeys(PERSONAS, 404)),
    ("/seguimiento/datos-abiertos/indicadores.csv", ALL_200),
    ("/seguimiento/datos-abiertos/indicadores.csv?period={period}", ALL_200),
    ("/seguimiento/datos-abiertos/diccionario/", ALL_200),
    ("/seguimiento/datos-abiertos/diccionario.csv", ALL_200),
    ("/seguimiento/resultados/municipios/25290/exportar/", ALL_200),
    ("/seguimiento/resultados/municipios/25290/exportar/?table=capacity", FUSA_OWN),
    ("/seguimiento/resultados/municipios/25290/exportar/?table=time&format=csv", FUSA_OWN),
    ("/seguimiento/resultados/municipios/99999/exportar/", dict.fromkeys(PERSONAS, 404)),
    ("/seguimiento/resultados/departamentos/25/exportar/?table=capacity", ALL_200),
    ("/seguimiento/resultados/departamentos/00/exportar/", dict.fromkeys(PERSONAS, 404)),
    ("/seguimiento/resultados/entidades/MinVivienda/exportar/?format=csv", ALL_200),
    ("/seguimiento/resultados/entidades/NADA/exportar/", dict.fromkeys(PERSONAS, 404)),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_opens_what_the_rules_say(client, request, persona, figures, period):
    _client(client, request, persona)
    got = {url: client.get(url.format(period=period.pk)).status_code for url, _expected in TABLE}
    assert got == {url: expected[persona] for url, expected in TABLE}


def test_the_open_data_of_a_period_that_is_not_published_is_not_found(client, figures):
    closed = _period(AgendaPeriod.Status.CLOSED, name="2027-T2")
    assert client.get(f"/seguimiento/datos-abiertos/indicadores.csv?period={closed.pk}").status_code == 404
    assert client.get("/seguimiento/datos-abiertos/indicadores.csv?period=abc").status_code == 404


def test_the_menu_shows_seguimiento_to_coordinators_and_the_results_to_everyone_else(client, carla, alice):
    assert 'href="/seguimiento/resumen/">Resultados<' in _html(client.get("/"))
    client.force_login(alice)
    assert 'href="/seguimiento/resumen/">Resultados<' in _html(client.get("/"))
    client.force_login(carla)
    html = _html(client.get("/"))
    assert 'href="/seguimiento/">Seguimiento<' in html and ">Resultados<" not in html


# --- The national dashboard ----------------------------------------------------------------------

def test_the_dashboard_shows_every_indicator_with_its_value_and_formula(client, carla, figures):
    client.force_login(carla)
    html = _html(client.get("/seguimiento/"))
    for code, definition in definitions().items():
        assert f'id="ind-{code}"' in html
        assert str(definition["formula"]) in html
    assert html.count("¿Cómo se calcula?") == len(definitions())
    coverage = html[html.index('id="ind-coverage"'):]
    assert '<p class="figure">50 %</p>' in coverage[:coverage.index("</li>")]


def test_the_breakdown_chart_and_its_table_carry_the_same_numbers(client, carla, figures):
    client.force_login(carla)
    html = _html(client.get("/seguimiento/?indicator=coverage"))
    svg = html[html.index("<svg viewBox"):html.index("</svg>")]
    assert 'role="img"' in svg and '<title id="chart-breakdown-title">Cobertura de la demanda</title>' in svg
    assert "<desc" in svg and "Cundinamarca: 100 %" in svg and "Antioquia: 0 %" in svg
    table = html[html.index('<table class="cards">'):]
    assert '<td data-label="Departamento">Cundinamarca</td><td data-label="Valor" class="num">100 %' in table
    assert '<td data-label="Departamento">Antioquia</td><td data-label="Valor" class="num">0 %' in table
    assert 'data-code="25"' in html  # the map of Colombia


def test_the_breakdown_can_be_by_provider_category_or_sector(client, carla, figures):
    client.force_login(carla)
    html = _html(client.get("/seguimiento/?by=provider&indicator=events_per_provider"))
    assert '<td data-label="Entidad que presta">Agencia Nacional de Minería</td>' in html
    assert '<td data-label="Entidad que presta">Ministerio de Vivienda, Ciudad y Territorio</td>' in html
    assert 'data-code="25"' in html  # the map stays by department
    assert "Categoría municipal" in _html(client.get("/seguimiento/?by=category"))
    assert '<td data-label="Sector">' in _html(client.get("/seguimiento/?by=sector&indicator=needs_answered"))


def test_the_department_is_typed_by_name_and_a_wrong_one_is_a_field_error(client, carla, figures):
    client.force_login(carla)
    html = _html(client.get("/seguimiento/?department=cundinamarca&indicator=coverage"))
    assert '<p class="figure">100 %</p>' in html
    assert '<datalist id="departments-options">' in html and '<option value="Bogotá, D.C.">' in html
    html = _html(client.get("/seguimiento/?department=Narnia"))
    assert "No encontramos el departamento «Narnia». Elíjalo de la lista." in html
    assert '<p class="figure">50 %</p>' in html  # nothing filtered, nothing lost


def test_the_2021_baseline_stands_beside_the_current_figure(client, carla, figures, monkeypatch):
    baseline = {"value": 16.8, "label": "Municipios que recibieron asistencia técnica nacional en 2021",
                "source": "Encuesta a municipios 2021"}
    monkeypatch.setattr("apps.monitoring.indicators.baseline_2021", lambda **kwargs: {"coverage": baseline})
    client.force_login(carla)
    html = _html(client.get("/seguimiento/"))
    card = html[html.index('id="ind-coverage"'):]
    card = card[:card.index("</li>")]
    assert "En 2021: <strong>16,8 %</strong>" in card and baseline["label"] in card
    assert "En 2021:" not in html[html.index('id="ind-satisfaction"'):][:600]


# --- Closing a period ----------------------------------------------------------------------------

def test_a_coordinator_closes_a_period_and_its_figures_stay_frozen(client, carla, figures, period):
    client.force_login(carla)
    html = _html(client.get(f"/seguimiento/?period={period.pk}"))
    assert f'href="/seguimiento/periodos/{period.pk}/cerrar/"' in html
    assert "Sí, cerrar y congelar las cifras" in _html(client.get(f"/seguimiento/periodos/{period.pk}/cerrar/"))

    response = client.post(f"/seguimiento/periodos/{period.pk}/cerrar/")
    assert response.status_code == 302 and response["Location"] == f"/seguimiento/?period={period.pk}"
    frozen = FrozenPeriod.objects.get(period=period)
    # Later, Medellín gets its jornada in the period: the live figure moves, the frozen one does not.
    _done_event(municipalities=("05001",), period=period, day=1)
    html = _html(client.get(f"/seguimiento/?period={period.pk}"))
    assert "Cifras congeladas el" in html and '<p class="figure">50 %</p>' in html
    assert f'/seguimiento/periodos/{period.pk}/cerrar/' not in html
    assert '<p class="figure">100 %</p>' in _html(client.get("/seguimiento/"))
    # With another filter than the period the figures are today's, and the page says so.
    html = _html(client.get(f"/seguimiento/?period={period.pk}&department=Antioquia"))
    assert "Cifras congeladas el" not in html and "se calculan con los datos de hoy" in html

    client.post(f"/seguimiento/periodos/{period.pk}/cerrar/")  # twice: the first figures stay
    assert FrozenPeriod.objects.get(period=period).figures == frozen.figures
    html = _html(client.get(f"/seguimiento/?period={period.pk}"))
    assert "ya estaba cerrado" in html


def test_an_open_period_is_not_frozen_and_says_why(client, carla):
    open_period = _period(AgendaPeriod.Status.OPEN)
    client.force_login(carla)
    assert "Solo se cierran las cifras" in _html(client.get(f"/seguimiento/periodos/{open_period.pk}/cerrar/"))
    response = client.post(f"/seguimiento/periodos/{open_period.pk}/cerrar/", follow=True)
    assert "sigue abierto" in response.content.decode()
    assert not FrozenPeriod.objects.exists()


def test_only_a_coordinator_closes_a_period(client, alice, period):
    client.force_login(alice)
    assert client.post(f"/seguimiento/periodos/{period.pk}/cerrar/").status_code == 403
    assert client.post("/seguimiento/periodos/999999/cerrar/").status_code == 403
    assert not FrozenPeriod.objects.exists()


def test_a_missing_period_is_not_found(client, carla):
    client.force_login(carla)
    assert client.post("/seguimiento/periodos/999999/cerrar/").status_code == 404


# --- One indicator's page ------------------------------------------------------------------------

def test_an_indicators_page_has_its_formula_breakdown_chart_and_exports(client, figures):
    html = _html(client.get("/seguimiento/indicadores/joint_missions/?by=provider"))
    assert "<h1>Misiones conjuntas</h1>" in html
    assert str(definitions()["joint_missions"]["formula"]) in html
    assert '<svg viewBox' in html and 'aria-labelledby="chart-indicator-title chart-indicator-desc"' in html
    assert '<td data-label="Entidad que presta">Agencia Nacional de Minería</td>' in html
    assert "/seguimiento/exportar/?by=provider&amp;table=breakdown&amp;indicator=joint_missions&amp;format=xlsx" in html


def test_the_capacity_change_is_broken_down_by_capacity(client, carla, figures):
    fusa = Municipality.objects.get(code="25290")
    data.capacity(figures, fusa, "planeacion", before=2, after=4)
    client.force_login(carla)
    html = _html(client.get("/seguimiento/indicadores/capacity_change/?by=capacity"))
    assert '<td data-label="Capacidad">Planeación</td><td data-label="Valor" class="num">+2 puntos' in html


# --- Exports and open data -----------------------------------------------------------------------

def test_the_indicators_table_exports_as_xlsx_and_csv(client, carla, figures):
    client.force_login(carla)
    response = client.get("/seguimiento/exportar/?table=indicators")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == dash.headline_columns()
    coverage = next(row for row in rows if row[0] == "coverage")
    assert coverage[1:6] == ("Cobertura de la demanda", 50.0, "%", 1, 2)
    rows = _csv(client.get("/seguimiento/exportar/?table=indicators&format=csv"))
    assert rows[0] == dash.headline_columns()
    assert next(row for row in rows if row[0] == "coverage")[2:6] == ["50,0", "%", "1", "2"]


def test_a_breakdown_exports_with_its_filters(client, carla, figures):
    client.force_login(carla)
    response = client.get("/seguimiento/exportar/?table=breakdown&indicator=coverage&department=Antioquia")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == dash.breakdown_columns()
    assert [row[3:6] for row in rows[1:]] == [("05", "Antioquia", 0.0)]


def test_the_open_data_has_a_stable_header_a_bom_and_semicolons(client, figures):
    rows = _csv(client.get("/seguimiento/datos-abiertos/indicadores.csv"))
    assert rows[0] == OPEN_DATA_HEADER
    dictionary = _csv(client.get("/seguimiento/datos-abiertos/diccionario.csv"))
    assert [row[0] for row in dictionary[1:]] == OPEN_DATA_HEADER
    assert all(len(row) == len(OPEN_DATA_HEADER) for row in rows)
    by_key = {(row[3], row[6], row[7]): row for row in rows[1:]}
    assert by_key[("coverage", "nacional", "")][9:12] == ["50,0", "1", "2"]
    assert by_key[("coverage", "departamento", "25")][8:10] == ["Cundinamarca", "100,0"]
    assert ("joint_missions", "entidad", str(org("ANM").pk)) in by_key
    assert {row[3] for row in rows[1:]} == set(definitions())
    codes = [row[3] for row in rows[1:]]
    assert codes == sorted(codes, key=dash.CODES.index)  # grouped by indicator, in a fixed order


def test_the_open_data_of_a_frozen_period_says_so(client, carla, figures, period):
    from apps.monitoring.services import period_freeze

    period_freeze(user=carla, period=period)
    rows = _csv(client.get(f"/seguimiento/datos-abiertos/indicadores.csv?period={period.pk}"))
    national = next(row for row in rows[1:] if row[3] == "coverage" and row[6] == "nacional")
    assert national[:3] == ["2027-T1", "2027-01-01", "2027-03-31"] and national[12] == "sí" and national[13]


def test_the_data_dictionary_page_explains_every_column(client, figures):
    html = _html(client.get("/seguimiento/datos-abiertos/diccionario/"))
    for name in OPEN_DATA_HEADER:
        assert f"<code>{name}</code>" in html
    assert "<code>capacity_change</code>" in html


# --- Public figures: aggregates only, small groups withheld --------------------------------------

def test_the_public_summary_has_no_personal_data(client, alice, figures):
    fusa = Municipality.objects.get(code="25290")
    inv = data.invitation(figures, municipality=fusa, email="perenganita.secreta@example.org")
    Invitation = type(inv)  # noqa: N806
    Invitation.objects.filter(pk=inv.pk).update(name="Perenganita Secreta")
    submission = data.answer(inv, {"satisfaction": 5})
    comments = Question.objects.create(survey=submission.survey, key="ZZ8", position=99, type="text",
                                       header="Comentarios", role="comments")
    Answer.objects.create(survey=submission.survey, submission=submission, question=comments,
                          text="Comentario confidencial de la alcaldía", is_latest=True)
    secrets = ["Perenganita", "perenganita.secreta@example.org", "Comentario confidencial", alice.email,
               alice.full_name]
    pages = ["/seguimiento/resumen/", "/seguimiento/indicadores/satisfaction/?by=provider",
             "/seguimiento/datos-abiertos/indicadores.csv", "/seguimiento/exportar/?table=indicators&format=csv",
             "/territorio/municipios/25290/", "/territorio/departamentos/25/", "/territorio/entidades/MinVivienda/"]
    for page in pages:
        response = client.get(page)
        body = response.content.decode("utf-8-sig")
        assert response.status_code == 200 and not [s for s in secrets if s in body], page


def test_answer_figures_over_fewer_than_five_answers_are_withheld_from_the_public(client, carla, figures):
    _satisfaction(figures, "25290", [5, 4, 3])
    html = _html(client.get("/seguimiento/resumen/"))
    card = html[html.index('id="ind-satisfaction"'):]
    assert '<p class="figure">no se publica</p>' in card[:card.index("</li>")]
    assert "Menos de 5 respuestas" in card[:card.index("</li>")]
    rows = _csv(client.get("/seguimiento/datos-abiertos/indicadores.csv"))
    national = next(row for row in rows if row[3] == "satisfaction" and row[6] == "nacional")
    assert national[9:12] == ["", "", ""]
    client.force_login(carla)  # the coordinators see the figure
    html = _html(client.get("/seguimiento/"))
    assert '<p class="figure">4 puntos</p>' in html[html.index('id="ind-satisfaction"'):][:400]
    assert '<p class="figure">4 puntos</p>' not in _html(client.get("/seguimiento/resumen/"))


def test_answer_figures_over_five_answers_are_public(client, figures):
    _satisfaction(figures, "25290", [5, 5, 4, 4, 2])
    html = _html(client.get("/seguimiento/resumen/"))
    assert '<p class="figure">4 puntos</p>' in html[html.index('id="ind-satisfaction"'):][:400]


# --- Results panels on territory and entity pages ------------------------------------------------

def test_a_municipality_page_shows_the_public_counts_to_anyone_and_the_answers_to_its_own(
        client, request, figures):
    fusa = Municipality.objects.get(code="25290")
    _satisfaction(figures, "25290", [5])
    data.capacity(figures, fusa, "planeacion", before=2, after=4)
    seen = {}
    for persona in ("anonymous", "alice", "bob", "dora", "dario", "nina", "carla"):
        client.logout()
        _client(client, request, persona)
        html = _html(client.get("/territorio/municipios/25290/"))
        panel = html[html.index('id="resultados"'):]
        panel = panel[:panel.index("</section>")]
        assert "Solicitudes atendidas" in panel, persona
        seen[persona] = ("Satisfacción" in panel, "Capacidades en el tiempo" in panel,
                         "Planeación</td><td data-label=\"Valor\" class=\"num\">+2 puntos" in panel)
    own, outsider = (True, True, True), (False, False, False)
    assert seen == {"anonymous": outsider, "alice": own, "bob": outsider, "dora": own, "dario": outsider,
                    "nina": outsider, "carla": own}


def test_a_municipality_sees_its_capacity_over_time_and_exports_it(client, alice, figures):
    fusa = Municipality.objects.get(code="25290")
    data.capacity(figures, fusa, "planeacion", before=2, after=4)
    client.force_login(alice)
    html = _html(client.get("/territorio/municipios/25290/"))
    assert '<td data-label="Medición">Antes</td><td data-label="Promedio" class="num">2</td>' in html
    assert '<td data-label="Medición">Después</td><td data-label="Promedio" class="num">4</td>' in html
    rows = _csv(client.get("/seguimiento/resultados/municipios/25290/exportar/?table=time&format=csv"))
    assert rows[0] == ["Mes", "Capacidad", "Medición", "Promedio (1 a 5)", "Respuestas"]
    assert [row[1:] for row in rows[1:]] == [["Planeación", "Antes", "2,0", "1"],
                                             ["Planeación", "Después", "4,0", "1"]]


def test_the_department_and_entity_pages_show_their_results(client, figures):
    html = _html(client.get("/territorio/departamentos/25/"))
    panel = html[html.index('id="resultados"'):]
    assert "Cobertura de la demanda</a></dt><dd>100 %</dd>" in panel
    html = _html(client.get("/territorio/entidades/ANM/"))
    panel = html[html.index('id="resultados"'):]
    assert "Misiones conjuntas</a></dt><dd>100 %</dd>" in panel


def test_a_department_page_shows_the_capacity_by_capacity_to_outsiders_only_over_five_answers(
        client, dora, figures):
    fusa = Municipality.objects.get(code="25290")
    data.capacity(figures, fusa, "planeacion", before=2, after=4)
    assert "Cambio de capacidades, por capacidad" not in _html(client.get("/territorio/departamentos/25/"))
    client.force_login(dora)
    html = _html(client.get("/territorio/departamentos/25/"))
    assert "Planeación</td><td data-label=\"Valor\" class=\"num\">+2 puntos" in html


def test_a_territory_without_results_shows_no_panel(client, figures):
    assert 'id="resultados"' not in _html(client.get("/territorio/municipios/05088/"))


# --- Constant queries ----------------------------------------------------------------------------

def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [
    "/seguimiento/?by=provider", "/seguimiento/indicadores/coverage/", "/seguimiento/resumen/",
    "/seguimiento/datos-abiertos/indicadores.csv", "/territorio/municipios/25290/",
    "/territorio/entidades/MinVivienda/",
])
def test_the_pages_run_the_same_number_of_queries_for_one_event_or_many(client, carla, figures, period, url):
    client.force_login(carla)
    fusa = Municipality.objects.get(code="25290")
    client.get(url)  # warm the per-process caches (the map's shapes, labels)
    few = _count(client, url)
    for code, provider in (("05001", "ANM"), ("25001", "MinVivienda"), ("25290", "ESAP"), ("05088", "ANM")):
        muni = Municipality.objects.get(code=code)
        need = NeedFactory(organization=org(code), status=NeedStatus.ATTENDED, submitted_at=at(-3))
        event = _done_event(municipalities=(code,), providers=(provider, "MinVivienda"), period=period, needs=[need])
        data.answer(data.invitation(event, municipality=muni), {"satisfaction": 4})
        data.capacity(event, fusa, "gestion", before=1, after=3)
    assert _count(client, url) == few


# --- Charts and figures as written ---------------------------------------------------------------

def test_figures_are_written_as_colombians_write_them():
    assert [number_text(v) for v in (1234.5, 50.0, 0.25, None)] == ["1.234,5", "50", "0,2", "sin datos"]
    assert value_text(4.2, "puntos") == "4,2 puntos" and value_text(0.25, "puntos", signed=True) == "+0,25 puntos"
    assert value_text(-1.5, "puntos", signed=True) == "-1,5 puntos" and value_text(1, "jornadas") == "1 jornada"
    assert value_text(1250000.4, "COP") == "$ 1.250.000" and value_text(12.35, "días") == "12,3 días"


def test_a_chart_draws_gains_right_and_losses_left_of_zero_with_its_words_for_screen_readers():
    rows = [{"label": "Planeación", "value": 2.0}, {"label": "Gestión", "value": -1.0},
            {"label": "Técnica", "value": None}]
    chart = bar_chart(rows, title="Cambio", unit="puntos", chart_id="c", signed=True)
    gain, loss = chart["bars"]
    assert chart["negative"] and len(chart["bars"]) == 2  # no value, no bar (the table lists it)
    assert gain["x"] == chart["zero"] and gain["anchor"] == "start" and gain["text"] == "+2 puntos"
    assert loss["x"] + loss["width"] == pytest.approx(chart["zero"], abs=0.2) and loss["anchor"] == "end"
    assert chart["desc"] == "Planeación: +2 puntos; Gestión: -1 punto"
    many = bar_chart([{"label": f"Entidad {n}", "value": n} for n in range(45)], title="t", unit="%", chart_id="m")
    assert len(many["bars"]) == 40 and many["truncated"] == 5 and many["bars"][0]["full_label"] == "Entidad 44"
