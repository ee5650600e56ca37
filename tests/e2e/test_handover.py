"""The handover report in a real browser: alice (Fusagasugá) finds it from her municipality's page,
reads its history, downloads the PDF, and the PDF's text holds a need's topic and an event's title."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from apps.agenda import services as agenda_services
from apps.agenda.models import Event
from apps.demand import services as demand_services
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory
from tests.e2e.test_accessibility import _violations, axe  # noqa: F401 - the axe-core fixture

pytestmark = pytest.mark.django_db(transaction=True)

TOPIC = "Plan maestro de acueducto para la vereda La Aguadita"
EVENT = "Mesa técnica de acueductos veredales"


@pytest.fixture(autouse=True)
def celery_eager():
    """The live server runs the outbox tasks in-process, also in CI's Redis pass."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _history(alice, carla):
    need = demand_services.need_file(user=alice, submit=True, data={
        "topic": TOPIC, "sector": NeedFactory.build().sector, "capacity": "planeacion",
        "problem": "La vereda no tiene acueducto.", "expected_result": "Un plan formulado."})[0]
    start = timezone.now() - timedelta(days=4)
    event = EventFactory(title=EVENT, starts_at=start, ends_at=start + timedelta(hours=3))
    event.needs.add(need)
    agenda_services.event_transition(user=carla, event=event, action="confirm")
    agenda_services.event_transition(user=carla, event=event, action="complete")
    assert Event.objects.get(pk=event.pk).status == Event.Status.DONE


def test_alice_reads_and_downloads_fusagasugas_handover_report(page, login, alice, carla, axe):  # noqa: F811
    _history(alice, carla)
    login(alice)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/territorio/municipios/25290/")
    memory = page.locator("#actividad")
    assert f"Jornada realizada: {EVENT}" in memory.inner_text()
    assert _violations(page, axe) == []
    page.get_by_role("link", name="Informe de empalme").click()
    page.wait_for_url("**/territorio/municipios/25290/empalme/")
    assert _violations(page, axe) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone
    resumen = page.get_by_role("heading", name="Resumen", exact=True)
    assert resumen.bounding_box()["y"] + 30 < 740  # the report, not its period form, fills the first screen
    history = page.locator("section.report-history")
    assert f"Solicitud radicada: {TOPIC}" in history.inner_text()
    assert f"Jornada realizada: {EVENT}" in history.inner_text()
    assert "Ministerio de Vivienda" in page.locator("#recibidas").locator("xpath=..").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Descargar PDF").click()
    download = download_info.value
    assert download.suggested_filename == "empalme-fusagasuga-25290-20240101-20271231.pdf"
    with open(download.path(), "rb") as pdf:
        reader = PdfReader(BytesIO(pdf.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert TOPIC in text
    assert EVENT in text
