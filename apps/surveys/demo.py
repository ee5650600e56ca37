"""Demo data: the four 2021 survey exports in data/samples/ (idempotent: same file, no change)."""

from pathlib import Path

from django.conf import settings

from apps.surveys.definitions import load_definitions
from apps.surveys.models import Survey
from apps.surveys.services import survey_import_file

SAMPLES = Path(settings.BASE_DIR) / "data" / "samples"
SLUGS = ["entidades-nacionales-2021", "municipios-2021", "departamentos-2021-1", "departamentos-2021-2"]


def load() -> list[str]:
    load_definitions()
    lines = []
    for slug in SLUGS:
        survey = Survey.objects.select_related("current_batch").get(slug=slug)
        outcome = survey_import_file(survey=survey, path=SAMPLES / f"{slug}.xlsx")
        batch = outcome.batch
        state = "sin cambios" if outcome.unchanged else "importada"
        lines.append(f"Encuesta {slug}: {state} ({batch.accepted_count} aceptadas, {batch.rejected_count} rechazadas)")
    return lines
