"""The 2021 baseline on territory pages: a municipality's needs and a national entity's ATT."""

import pytest

from apps.surveys.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipal(import_sample):
    import_sample("municipios-2021")
    return Submission.objects.filter(survey__slug="municipios-2021", is_latest=True)


def _a_municipality_with_answers(municipal, department="25"):
    return municipal.filter(department_id=department).select_related("municipality").first().municipality


@pytest.mark.parametrize(("persona", "visible"), [
    (None, False), ("bob", False), ("nina", False), ("dario", False), ("dora", True), ("carla", True),
])
def test_the_municipal_baseline_shows_to_coordinators_and_the_department(persona, visible, municipal, client_as,
                                                                          request):
    muni = _a_municipality_with_answers(municipal)
    client = client_as(request.getfixturevalue(persona) if persona else None)
    html = client.get(muni.get_absolute_url()).content.decode()
    assert ("Encuesta 2021" in html) is visible


def test_the_municipal_baseline_lists_the_sector_needed_and_the_sectors_assisted(municipal, client_as, carla):
    submission = municipal.filter(answers__question__key="M04").select_related("municipality").first()
    needed = submission.answers.select_related("option").get(question__key="M04").option.text
    html = client_as(carla).get(submission.municipality.get_absolute_url()).content.decode()
    assert "Necesidades de asistencia técnica" in html and "Encuesta 2021" in html
    assert "Sector en el que más necesita asistencia" in html
    assert f"Sector en el que más necesita asistencia</th>\n      <td>{needed}</td>" in html


def test_the_municipality_editor_sees_their_own_baseline(municipal, client_as, alice):
    has_answer = municipal.filter(municipality_id="25290").exists()
    html = client_as(alice).get("/territorio/municipios/25290/").content.decode()
    assert ("Encuesta 2021" in html) is has_answer


def test_a_municipality_without_answers_shows_no_panel(import_sample, client_as, carla):
    import_sample("departamentos-2021-2")
    assert "Encuesta 2021" not in client_as(carla).get("/territorio/municipios/25290/").content.decode()


def test_the_entity_page_shows_whether_it_provides_att_how_and_for_which_sectors(import_sample, client):
    import_sample("entidades-nacionales-2021")
    submission = (Submission.objects.filter(survey__slug="entidades-nacionales-2021", is_latest=True,
                                            answers__question__key="E14")
                  .select_related("national_entity").first())
    html = client.get(submission.national_entity.get_absolute_url()).content.decode()
    assert "Asistencia técnica que presta" in html and "Encuesta 2021" in html
    for label in ("Presta asistencia técnica territorial", "Frecuencia (primer semestre de 2021)",
                  "Sectores que atiende"):
        assert label in html
    modality = submission.answers.select_related("option").get(question__key="E14").option.text
    assert f"Modalidad</th>\n      <td>{modality}</td>" in html
