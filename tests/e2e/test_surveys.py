"""An admin imports a 2021 survey export in the browser: upload, preview, confirm, results."""

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "departamentos-2021-2.xlsx"


def test_an_admin_imports_a_survey_and_reads_its_results(page, login, settings, tmp_path):
    from apps.accounts.models import User
    from apps.surveys.definitions import load_definitions
    from tests.factories import UserFactory, org

    settings.MEDIA_ROOT = tmp_path
    load_definitions()  # the previous browser test's flush emptied the tables
    login(UserFactory(email="admin@dnp.gov.co", organization=org("DNP"), role=User.Role.ADMIN))

    page.goto("/inicio/")
    page.get_by_role("link", name="Encuestas 2021").click()
    card = page.locator("section.card", has_text="Segunda encuesta de Asistencia Técnica Territorial a Departamentos")
    card.get_by_role("link", name="Cargar exportación").click()
    page.get_by_label("Archivo de la encuesta").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Ver vista previa").click()

    assert page.get_by_test_id("accepted").inner_text().startswith("14 filas serán aceptadas")
    assert page.get_by_test_id("rejected").inner_text() == "1 fila rechazada"
    assert page.get_by_role("cell", name="El departamento «Departamento de Prueba» no existe en DIVIPOLA.").is_visible()

    page.get_by_role("button", name="Confirmar importación").click()
    page.get_by_text("Importación terminada: 14 filas aceptadas y 1 rechazadas.").wait_for()
    page.get_by_role("link", name="Ver resultados").click()

    assert "9 entidades · 14 respuestas aceptadas · 1 filas rechazadas" in page.get_by_test_id("totals").inner_text()
    d201 = page.locator("#q-D201")
    assert "9 respondieron" in d201.inner_text() and "7 (77,8 %)" in d201.inner_text()
    assert page.locator("svg path").count() == 33

    page.get_by_label("Contar").select_option("submission")
    page.get_by_role("button", name="Ver").first.click()
    assert "13 respondieron" in page.locator("#q-D201").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar CSV").click()
    assert download.value.suggested_filename == "resultados-departamentos-2021-2-submission.csv"
