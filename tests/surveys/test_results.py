"""Results equal truth.json for the four 2021 samples, from the API and from the command."""

import io
import json

import pytest
from django.core.management import call_command

from apps.surveys.selectors import survey_results
from tests.surveys.conftest import SLUGS, expected, survey

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_it_reproduces_truth_from_the_api_and_the_command(slug, import_sample, api_as, alice):
    import_sample(slug)
    api = api_as(alice)
    for unit in ("entity", "submission"):
        response = api.get(f"/api/v1/surveys/{slug}/results/", {"unit": unit})
        assert response.status_code == 200
        assert response.json() == expected(slug, unit)
        out = io.StringIO()
        call_command("survey_results", slug, "--unit", unit, "--format", "json", stdout=out)
        assert json.loads(out.getvalue()) == expected(slug, unit)


def test_it_defaults_to_the_entity_unit(import_sample, api_as, carla):
    import_sample("departamentos-2021-2")
    body = api_as(carla).get("/api/v1/surveys/departamentos-2021-2/results/").json()
    assert body == expected("departamentos-2021-2", "entity")


def test_it_answers_empty_results_before_any_import(api_as, carla):
    body = api_as(carla).get("/api/v1/surveys/municipios-2021/results/").json()
    assert (body["respondents"], body["submissions"], body["rejected"]) == (0, 0, 0)
    assert body["questions"][0] == {"key": "M01", "type": "single", "answered": 0, "counts": {}}


def test_it_refuses_an_unknown_unit_and_survey(api_as, carla):
    api = api_as(carla)
    assert api.get("/api/v1/surveys/municipios-2021/results/", {"unit": "x"}).status_code == 400
    assert api.get("/api/v1/surveys/no-existe/results/").status_code == 404


def test_it_asks_anonymous_visitors_to_sign_in(api):
    assert api.get("/api/v1/surveys/municipios-2021/results/").status_code in (401, 403)
    assert api.get("/api/v1/surveys/").status_code in (401, 403)


def test_it_lists_the_four_surveys(api_as, alice):
    body = api_as(alice).get("/api/v1/surveys/").json()
    assert sorted(s["slug"] for s in body["results"]) == sorted(SLUGS)


@pytest.mark.parametrize("slug", ["departamentos-2021-2", "municipios-2021"])
def test_it_computes_results_in_constant_queries(slug, import_sample, django_assert_num_queries):
    import_sample(slug)
    obj = survey(slug)
    # 1 questions, 2 their options (prefetch), 3 submissions + respondents, 4 rejected rows,
    # 5 grouped counts: the same for 14 or 682 submissions.
    with django_assert_num_queries(5):
        survey_results(user=None, survey=obj, unit="submission")
