"""The handover report (informe de empalme): who opens it, what it says for the period, and the PDF."""

from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.agenda import services as agenda_services
from apps.agenda.models import Event
from apps.core.activity import record
from apps.demand.models import Status as NeedStatus
from apps.knowledge.models import Commitment, Guideline, Practice
from apps.territory.models import Municipality
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
FUSA = reverse("territory:municipality_handover", args=["25290"])
CUNDINAMARCA = reverse("territory:department_handover", args=["25"])


def _history(carla):
    """Fusagasugá's term: an open need, a delivered event with its service and guide, a measured
    capacity, a pending commitment, a practice."""
    fusa = Municipality.objects.get(code="25290")
    open_need = NeedFactory(topic="Plan maestro de acueducto y alcantarillado", status=NeedStatus.IN_REVIEW)
    service = ServiceFactory(organization=org("MinVivienda"), name="Asistencia en planes de agua",
                             contact_name="Laura Páez", contact_email="laura.paez@minvivienda.gov.co")
    guide = Guideline.objects.create(title="Guía de formulación de proyectos de agua", organization=org("MinVivienda"))
    guide.services.add(service)
    start = timezone.now() - timedelta(days=5)
    event = EventFactory(title="Mesa técnica de acueductos veredales", status=Event.Status.CONFIRMED,
                         starts_at=start, ends_at=start + timedelta(hours=3))
    event.services.add(service)
    agenda_services.event_transition(user=carla, event=event, action="complete")
    record(key="t:capacity", kind="capacity.measured", title="Capacidad de planeación medida", municipality=fusa,
           public=False, data={"capacity": "planeacion", "before": 2, "after": 4, "change": 2})
    record(key="t:followup", kind="followup.answered", title="Encuesta de seguimiento respondida",
           municipality=fusa, public=False)
    record(key="t:old", kind="need.filed", title="Solicitud radicada: Estudio de 2019", municipality=fusa,
           public=False, occurred_at=datetime(2019, 6, 3, 9, tzinfo=BOGOTA))
    Commitment.objects.create(text="Adoptar el plan de gestión del riesgo", municipality=fusa,
                              due_on=date(2027, 6, 30), responsible=org("25290"))
    Commitment.objects.create(text="Compromiso ya cumplido", municipality=fusa, status=Commitment.Status.DONE)
    Practice.objects.create(title="Mesas veredales del agua", what="Reuniones por vereda.", municipality=fusa,
                            result="Tres acueductos legalizados.")
    return open_need, event


@pytest.mark.parametrize(("persona", "url", "status"), [
    ("alice", FUSA, 200), ("amy", FUSA, 404), ("bob", FUSA, 404), ("dora", FUSA, 200), ("dario", FUSA, 404),
    ("nina", FUSA, 404), ("carla", FUSA, 200), ("adam", FUSA, 200),
    ("alice", CUNDINAMARCA, 404), ("dora", CUNDINAMARCA, 200), ("dario", CUNDINAMARCA, 404),
    ("carla", CUNDINAMARCA, 200),
])
def test_only_the_territorys_people_and_coordinators_open_it(request, client_as, persona, url, status):
    assert client_as(request.getfixturevalue(persona)).get(url).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(FUSA)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_missing_territory_is_404(client_as, carla):
    assert client_as(carla).get(reverse("territory:municipality_handover", args=["99999"])).status_code == 404


def test_the_report_tells_the_terms_history(client_as, alice, carla):
    open_need, event = _history(carla)
    html = client_as(alice).get(FUSA).content.decode()
    assert "1 de enero de 2024 al 31 de diciembre de 2027" in html
    assert open_need.topic in html  # open needs
    assert "Mesa técnica de acueductos veredales" in html  # events received and history
    assert "Ministerio de Vivienda" in html  # who delivered it
    assert "+2" in html and "Planeación" in html  # capacity change
    assert "Adoptar el plan de gestión del riesgo" in html and "Compromiso ya cumplido" not in html
    assert "Mesas veredales del agua" in html  # practices
    assert "Guía de formulación de proyectos de agua" in html  # guides used
    assert "laura.paez@minvivienda.gov.co" in html  # contacts to keep
    assert "Encuesta de seguimiento respondida" in html
    assert "Estudio de 2019" not in html  # before the term


def test_the_summary_says_one_in_the_singular(client_as, alice, carla):
    _history(carla)
    html = client_as(alice).get(FUSA).content.decode()
    assert "<strong>1</strong> jornada de asistencia recibida<" in html
    assert "<strong>1</strong> encuesta de seguimiento respondida<" in html
    assert "<strong>1</strong> compromiso pendiente<" in html
    assert "<strong>1</strong> jornadas" not in html


def test_another_period_can_be_chosen(client_as, carla):
    _history(carla)
    html = client_as(carla).get(FUSA, {"desde": "2019-01-01", "hasta": "2019-12-31"}).content.decode()
    assert "Estudio de 2019" in html and "Mesa técnica de acueductos veredales</a></td>" not in html


def test_a_bad_date_falls_back_to_the_term_and_says_so(client_as, carla):
    html = client_as(carla).get(FUSA, {"desde": "ayer"}).content.decode()
    assert "AAAA-MM-DD" in html and "1 de enero de 2024" in html


@pytest.mark.parametrize(("desde", "hasta"), [("2024-01-01", "9999-12-31"), ("0001-01-01", "9999-12-31"),
                                            ("", "9999-12-31"), ("0001-01-01", "")])
def test_dates_out_of_any_term_fall_back_to_the_term_and_say_so(client_as, carla, desde, hasta):
    """Year 9999 overflowed the day after the end (a 500, on the page and the PDF)."""
    for extra in ({}, {"formato": "pdf"}):
        response = client_as(carla).get(FUSA, {"desde": desde, "hasta": hasta, **extra})
        assert response.status_code == 200
    assert "entre 1990 y 2100" in client_as(carla).get(FUSA, {"desde": desde, "hasta": hasta}).content.decode()


def test_the_department_report_holds_its_municipalities_once_per_event(client_as, dora, carla):
    _history(carla)
    html = client_as(dora).get(CUNDINAMARCA).content.decode()
    assert html.count("Jornada realizada: Mesa técnica de acueductos veredales</a>") == 1
    assert "Fusagasugá" in html


def test_the_pdf_holds_the_history(client_as, alice, carla):
    open_need, event = _history(carla)
    response = client_as(alice).get(FUSA, {"formato": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="empalme-fusagasuga-25290-20240101-20271231.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert open_need.topic in text
    assert "Mesa técnica de acueductos veredales" in text
    assert "Adoptar el plan de gestión del riesgo" in text


def test_the_territory_page_links_the_report_for_its_people_only(client_as, alice, amy):
    page = reverse("territory:municipality", args=["25290"])
    assert FUSA in client_as(alice).get(page).content.decode()
    assert FUSA not in client_as(amy).get(page).content.decode()


def _delivered(carla, n: int):
    for i in range(n):
        start = timezone.now() - timedelta(days=10 + i)
        event = EventFactory(title=f"Jornada entregada {i}", status=Event.Status.CONFIRMED, starts_at=start,
                             ends_at=start + timedelta(hours=2))
        event.services.add(ServiceFactory(organization=org("MinVivienda")))
        agenda_services.event_transition(user=carla, event=event, action="complete")


def test_the_report_runs_the_same_queries_for_one_event_and_many(client_as, carla):
    client = client_as(carla)
    _delivered(carla, 1)
    client.get(FUSA)
    with CaptureQueriesContext(connection) as one:
        client.get(FUSA)
    _delivered(carla, 12)
    with CaptureQueriesContext(connection) as many:
        assert "Jornada entregada 11" in client.get(FUSA).content.decode()
    assert len(one) == len(many)


def test_a_long_history_shows_its_newest_rows_and_counts_them_all(client_as, carla, monkeypatch):
    from apps.territory import handover

    monkeypatch.setattr(handover, "HISTORY_LIMIT", 3)
    fusa = Municipality.objects.get(code="25290")
    for i in range(5):
        record(key=f"t:filed:{i}", kind="need.filed", title=f"Solicitud radicada: tema {i}", municipality=fusa,
               public=False, occurred_at=datetime(2025, 3, 1 + i, 9, tzinfo=BOGOTA))
    report = handover.handover_build(user=carla, municipality=fusa)
    assert report.counts["needs_filed"] == 5 and report.history_truncated
    assert [row.title for month in report.history for row in month.rows] == [
        "Solicitud radicada: tema 2", "Solicitud radicada: tema 3", "Solicitud radicada: tema 4"]
    assert "Se muestran los 3 registros más recientes" in client_as(carla).get(FUSA).content.decode()


def test_markup_in_a_need_stays_text_and_the_pdf_fetches_nothing(client_as, alice, monkeypatch):
    """A need topic holding tags is shown as text on the page and in the PDF, and WeasyPrint asks for
    no URL at all (no image, stylesheet or file behind the markup or the template)."""
    import weasyprint

    asked: list[str] = []
    original = weasyprint.URLFetcher.fetch

    def spy(self, url, *args, **kwargs):
        asked.append(url)
        return original(self, url, *args, **kwargs)

    monkeypatch.setattr(weasyprint.URLFetcher, "fetch", spy)
    topic = '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="file:///etc/passwd"><b>Acueducto</b>'
    NeedFactory(topic=topic, status=NeedStatus.IN_REVIEW)
    html = client_as(alice).get(FUSA).content.decode()
    assert "<img src=" not in html and '&lt;img src=&quot;http://127.0.0.1:9/x.png&quot;&gt;' in html
    response = client_as(alice).get(FUSA, {"formato": "pdf"})
    assert response.status_code == 200 and asked == []
    text = "".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    assert '<b>Acueducto</b>' in text
