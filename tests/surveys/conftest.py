import json
from pathlib import Path

import pytest
from django.conf import settings

from apps.surveys.models import Survey
from apps.surveys.services import survey_import_file

SAMPLES = Path(settings.BASE_DIR) / "data" / "samples"
SLUGS = ["entidades-nacionales-2021", "municipios-2021", "departamentos-2021-1", "departamentos-2021-2"]
TRUTH = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))


def expected(slug: str, unit: str) -> dict:
    truth = TRUTH[slug]
    return {"survey": slug, "unit": unit, "respondents": truth["respondents"], "submissions": truth["submissions"],
            "rejected": truth["rejected"], "questions": truth["units"][unit]}


def survey(slug: str) -> Survey:
    return Survey.objects.select_related("current_batch").get(slug=slug)


@pytest.fixture
def import_sample(db):
    def do(slug: str):
        return survey_import_file(survey=survey(slug), path=SAMPLES / f"{slug}.xlsx")

    return do


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded exports go to a temporary MEDIA_ROOT, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
