"""The four 2021 survey definitions, loaded by a migration, and the demo data."""

import pytest
from django.core.management import call_command

from apps.surveys import demo, services
from apps.surveys.definitions import load_definitions
from apps.surveys.models import ImportBatch, Option, Question, Submission, Survey
from apps.territory.models import NationalEntity
from tests.surveys.conftest import SAMPLES, survey

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_four_surveys_with_their_questions():
    # The live follow-up surveys (apps/monitoring's migration) share the table: the 2021 ones are the imports.
    counts = {s.slug: (s.unit, s.questions.count()) for s in Survey.objects.filter(mode=Survey.IMPORT)}
    assert counts == {
        "entidades-nacionales-2021": ("national_entity", 30), "municipios-2021": ("municipality", 22),
        "departamentos-2021-1": ("department", 9), "departamentos-2021-2": ("department", 15),
    }
    m04 = Question.objects.get(survey__slug="municipios-2021", key="M04")
    assert (m04.type, m04.options.count(), m04.options.last().text) == ("single", 29, "Ninguno")
    m03 = Question.objects.get(survey__slug="municipios-2021", key="M03")
    assert m03.options.count() == NationalEntity.objects.count()
    assert m03.options.filter(alias="DNP", text="Departamento Nacional de Planeación").exists()
    assert Question.objects.get(key="E19").options.count() == 33


def test_loading_the_definitions_again_changes_nothing():
    before = (Question.objects.count(), Option.objects.count())
    load_definitions()
    call_command("load_survey_definitions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Question.objects.count(), Option.objects.count()) == before


def test_the_demo_imports_the_four_samples_once():
    lines = demo.load()
    assert len(lines) == 4 and all("importada" in line for line in lines)
    ids = list(Submission.objects.values_list("pk", flat=True))
    again = demo.load()
    assert all("sin cambios" in line for line in again)
    assert list(Submission.objects.values_list("pk", flat=True)) == ids
    assert ImportBatch.objects.count() == 4


def test_the_task_claims_a_batch_once_and_records_a_failure(carla, tmp_path):
    from django.core.files.base import ContentFile

    obj = survey("departamentos-2021-2")
    batch = ImportBatch.objects.create(survey=obj, file_name="x.xlsx", file_sha256="0",
                                       status=ImportBatch.Status.QUEUED, uploaded_by=carla)
    batch.file.save("x.xlsx", ContentFile(b"%PDF-1.4 not a spreadsheet"))
    services.batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "no es una hoja de cálculo" in batch.error
    services.batch_run(batch_id=batch.pk)  # not QUEUED any more: nothing happens
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    batch.file.delete(save=False)

    good = ImportBatch.objects.create(survey=obj, file_name="ok.xlsx", file_sha256="1",
                                      status=ImportBatch.Status.QUEUED)
    good.file.save("ok.xlsx", ContentFile((SAMPLES / "departamentos-2021-2.xlsx").read_bytes()))
    services.batch_run(batch_id=good.pk)
    good.refresh_from_db()
    assert (good.status, good.accepted_count, good.rejected_count) == ("done", 14, 1)
    good.file.delete(save=False)
