"""Workshop pages: the public list and detail with the trees drawn as nested lists, the PATT tree,
and recording / editing a workshop (tree typed as indented lines, challenges, commitments)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import Activity
from apps.knowledge.models import Commitment, TreeNode, Workshop
from apps.knowledge.reference import load_workshops
from tests.factories import org

pytestmark = pytest.mark.django_db

TREE = ("- Baja coordinación entre entidades\n  - No se conoce la oferta\n  - Rotación del personal\n"
        "- Pocos datos de seguimiento")


@pytest.fixture
def reference(db):
    load_workshops()


def _form(**overrides) -> dict:
    data = {
        "title": "Taller de agua potable", "held_on": "2027-03-10", "place": "Fusagasugá",
        "organizers": "DNP\nMinVivienda", "participants": "Alcaldías de Cundinamarca", "participants_count": "23",
        "objective": "Identificar por qué los proyectos de acueducto no se formulan.",
        "central_problem": "Los proyectos de acueducto rural no llegan a financiarse.",
        "causes": TREE, "effects": "- Veredas sin agua", "central_objective": "Proyectos financiados",
        "objectives": "- Coordinar la asistencia\n  - Mesa mensual\n- Medir el seguimiento",
        "answers_in_order": "on", "challenges": "Sostener la mesa\nMedir resultados",
        "compromiso-TOTAL_FORMS": "3", "compromiso-INITIAL_FORMS": "0",
        "compromiso-MIN_NUM_FORMS": "0", "compromiso-MAX_NUM_FORMS": "10",
        "compromiso-0-text": "Acompañar la formulación de dos proyectos", "compromiso-0-responsible": "MinVivienda",
        "compromiso-0-due_on": "2027-06-30",
    }
    data.update(overrides)
    return data


def test_the_list_is_public_and_shows_the_eight_workshops_of_2021(client, reference):
    response = client.get("/conocimiento/talleres/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-label="Taller"') == 8
    assert "Taller Cooperantes Internacionales" in html and "Árbol de problemas de la Política" not in html


def test_the_list_takes_the_same_queries_for_one_and_for_many(client, reference, carla):
    # 1 session-free page: the workshops with their counts (one query) and the paginator's count.
    Workshop.objects.exclude(slug="taller-2021-5-cooperantes-internacionales").filter(is_patt=False).delete()
    with CaptureQueriesContext(connection) as one:
        client.get("/conocimiento/talleres/")
    load_workshops()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/conocimiento/talleres/").content.decode().count('data-label="Taller"') == 8
    assert len(one.captured_queries) == len(many.captured_queries) <= 3


def test_a_workshop_page_shows_date_participants_and_the_tree_nested(client, reference):
    html = client.get("/conocimiento/talleres/taller-2021-6-dnp-subdireccion-general-sectorial/").content.decode()
    assert "18 de noviembre de 2021" in html and "12 personas" in html
    assert "Causas directas" in html and "Causas indirectas" in html
    # An indirect cause is a list inside the list item of its direct cause.
    causes = html[html.index("Causas directas"):]
    assert re.search(r"<li><p class=\"tree-node\"><span class=\"tree-label\">Causa 1\.</span>[^<]*Bajo nivel de "
                     r"coordinación.*?<ul class=\"tree-branches\"><li><p class=\"tree-node\">Baja disponibilidad",
                     causes, re.S)
    assert "Establecer una agenda interactiva." in html
    commitment = Commitment.objects.get(text="Establecer una agenda interactiva.")
    assert f'href="/conocimiento/compromisos/{commitment.pk}/"' in html


def test_the_patt_tree_page_answers_each_cause_with_an_objective(client, reference):
    html = client.get("/conocimiento/arbol-de-problemas/").content.decode()
    assert "Problema central" in html and "Efectos" in html and "Árbol de soluciones" in html
    for n in range(1, 5):
        assert f"Responde a la causa {n}." in html
    assert client.get("/conocimiento/talleres/no-existe/").status_code == 404


def test_a_coordinator_records_a_workshop_with_its_tree_and_a_commitment(client_as, carla):
    client = client_as(carla)
    assert client.get("/conocimiento/talleres/nuevo/").status_code == 200
    response = client.post("/conocimiento/talleres/nuevo/", _form())
    workshop = Workshop.objects.get(title="Taller de agua potable")
    assert response.status_code == 302 and response["Location"] == workshop.get_absolute_url()
    causes = workshop.tree_nodes.filter(kind=TreeNode.Kind.CAUSE, parent=None).order_by("position")
    assert [c.text for c in causes] == ["Baja coordinación entre entidades", "Pocos datos de seguimiento"]
    indirect = list(causes[0].children.values_list("text", flat=True))
    assert indirect == ["No se conoce la oferta", "Rotación del personal"]
    objectives = workshop.tree_nodes.filter(kind=TreeNode.Kind.OBJECTIVE).order_by("position")
    assert [o.answers_id for o in objectives] == [c.pk for c in causes]
    assert workshop.tree_nodes.filter(kind=TreeNode.Kind.ACTION, parent=objectives[0]).count() == 1
    assert {o.name for o in workshop.organizer_organizations.all()} == {org("DNP").name, org("MinVivienda").name}
    commitment = workshop.commitments.get()
    assert commitment.responsible == org("MinVivienda") and str(commitment.due_on) == "2027-06-30"
    assert list(workshop.challenges.values_list("text", flat=True)) == ["Sostener la mesa", "Medir resultados"]
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "No se conoce la oferta" in page and "Acompañar la formulación de dos proyectos" in page


def test_bad_indentation_is_refused_on_the_field_and_nothing_is_lost(client_as, carla):
    client = client_as(carla)
    bad = "- Causa uno\n    - indirecta\n  - a medias"
    response = client.post("/conocimiento/talleres/nuevo/", _form(causes=bad))
    assert response.status_code == 200 and not Workshop.objects.exists()
    html = response.content.decode()
    assert "Línea 3: la sangría no coincide" in html
    assert "Causa uno\n    - indirecta\n  - a medias</textarea>" in html
    assert "Acompañar la formulación de dos proyectos" in html


def test_objectives_that_do_not_match_the_causes_are_refused(client_as, carla):
    response = client_as(carla).post("/conocimiento/talleres/nuevo/", _form(objectives="- Uno solo"))
    assert response.status_code == 200 and not Workshop.objects.exists()
    assert "tantos objetivos (1) como causas directas (2)" in response.content.decode()


def test_a_commitment_without_a_responsible_is_refused(client_as, carla):
    response = client_as(carla).post("/conocimiento/talleres/nuevo/", _form(**{"compromiso-0-responsible": ""}))
    assert response.status_code == 200 and not Workshop.objects.exists()
    assert "Compromiso 1: indique quién es responsable." in response.content.decode()


def test_a_double_submit_records_one_workshop(client_as, carla):
    client = client_as(carla)
    client.post("/conocimiento/talleres/nuevo/", _form())
    client.post("/conocimiento/talleres/nuevo/", _form())
    assert Workshop.objects.count() == 1 and Commitment.objects.count() == 1


def test_an_entity_editor_records_a_workshop_of_their_own_organisation(client_as, nina):
    client = client_as(nina)
    client.post("/conocimiento/talleres/nuevo/", _form(organizers=""))
    workshop = Workshop.objects.get()
    assert list(workshop.organizer_organizations.all()) == [nina.organization]


def test_a_municipal_editor_records_only_in_their_territory_and_it_joins_its_memory(client_as, alice):
    client = client_as(alice)
    response = client.post("/conocimiento/talleres/nuevo/", _form(department="05", municipality_name="Medellín",
                                                                   **{"compromiso-0-responsible": "25290"}))
    assert response.status_code == 200 and "Solo puede registrar talleres de su propio territorio" in \
        response.content.decode()
    response = client.post("/conocimiento/talleres/nuevo/", _form(department="25", municipality_name="Fusagasugá",
                                                                   **{"compromiso-0-responsible": "25290"}))
    workshop = Workshop.objects.get()
    assert workshop.municipality_id == "25290"
    activity = Activity.objects.get(kind="workshop.recorded")
    assert activity.municipality_id == "25290" and activity.link == workshop.get_absolute_url()


def test_only_organisers_and_coordinators_edit_and_history_is_kept(client_as, nina, nico, carla):
    client_as(nina).post("/conocimiento/talleres/nuevo/", _form(organizers=""))
    workshop = Workshop.objects.get()
    url = f"/conocimiento/talleres/{workshop.slug}/editar/"
    assert client_as(nico).get(url).status_code == 403
    client = client_as(carla)
    assert client.get(url).status_code == 200
    form = _form(title="Taller de agua potable rural", causes=TREE + "\n  - Sin presupuesto",
                 **{"compromiso-0-text": "", "compromiso-0-responsible": "", "compromiso-0-due_on": ""})
    assert client.post(url, form).status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Taller de agua potable rural"
    assert workshop.tree_nodes.filter(text="Sin presupuesto", parent__text="Pocos datos de seguimiento").exists()
    assert workshop.commitments.count() == 1
    assert workshop.history.count() == 2 and "árbol" in workshop.history.first().history_change_reason


def test_the_2021_workshops_are_only_edited_by_coordinators(client_as, reference, nina):
    url = "/conocimiento/talleres/taller-2021-1-dnp-dddr/editar/"
    assert client_as(nina).get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_to_record(client):
    response = client.get("/conocimiento/talleres/nuevo/")
    assert response.status_code == 302 and "/cuentas/ingresar/" in response["Location"]


def test_another_editor_of_the_organiser_edits_and_adds_a_commitment(client_as, nina):
    from tests.factories import UserFactory

    client_as(nina).post("/conocimiento/talleres/nuevo/", _form(organizers=""))
    workshop = Workshop.objects.get()
    colleague = UserFactory(email="otra@minvivienda.gov.co", organization=nina.organization)
    client = client_as(colleague)
    url = f"/conocimiento/talleres/{workshop.slug}/editar/"
    assert "Acompañar la formulación de dos proyectos" in client.get(url).content.decode()
    form = _form(organizers="", participants_count="30", **{"compromiso-0-text": "Publicar la guía",
                                                            "compromiso-0-due_on": ""})
    assert client.post(url, form).status_code == 302
    workshop.refresh_from_db()
    assert workshop.participants_count == 30
    assert list(workshop.commitments.order_by("id").values_list("text", flat=True)) == [
        "Acompañar la formulación de dos proyectos", "Publicar la guía"]
    detail = client.get(workshop.get_absolute_url()).content.decode()
    assert "Historial de cambios" in detail and "Número de participantes" in detail


def test_rebuilding_the_memory_writes_the_workshop_row_once(client_as, alice):
    from apps.knowledge.services_workshops import workshops_rebuild

    client_as(alice).post("/conocimiento/talleres/nuevo/", _form(department="25", municipality_name="Fusagasugá",
                                                                  **{"compromiso-0-responsible": "25290"}))
    Activity.objects.filter(kind="workshop.recorded").delete()
    workshops_rebuild()
    workshops_rebuild()
    row = Activity.objects.get(kind="workshop.recorded")
    assert row.occurred_at == Workshop.objects.get().created_at and row.actor == alice


def test_a_workshop_page_takes_the_same_queries_for_a_small_and_a_large_tree(client, reference):
    # workshop, its organisers, participants, challenges, commitments (with responsible), tree nodes;
    # the session-free page asks nothing per node or per commitment.
    def count(slug):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/conocimiento/talleres/{slug}/").status_code == 200
        return len(queries.captured_queries)

    small = count("taller-2021-5-cooperantes-internacionales")  # 8 nodes, 1 commitment
    large = count("taller-2021-7-departamentos")  # 40 nodes, 2 commitments
    assert small == large == 6


def test_a_municipal_editor_starts_from_their_municipality(client_as, alice):
    html = client_as(alice).get("/conocimiento/talleres/nuevo/").content.decode()
    assert 'value="Fusagasugá"' in html and '<option value="25" selected>' in html


@pytest.mark.parametrize(("typed", "code"), [
    ("MinVivienda", "MinVivienda"), ("ministerio de vivienda, ciudad y territorio", "MinVivienda"),
    ("Departamento Nacional de Planeación (DNP)", "DNP"), ("dnp", "DNP"), ("25290", "25290"),
    ("Gobernación de Cundinamarca", "25"), ("Cundinamarca", "25"),
    ("Alcaldía de Fusagasugá (Cundinamarca)", "25290"), ("Junta de acueducto La Aguadita", None),
])
def test_organisations_are_found_by_what_people_type(db, typed, code):
    from apps.knowledge.services_workshops import organization_from_text

    org("25290")  # the municipality's organisation exists once someone of it signed up
    found = organization_from_text(typed)
    assert (found.pk if found else None) == (org(code).pk if code else None)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("organizers", "\n".join(f"Organización {i}" for i in range(5000)), "como máximo 30 organizadores"),
    ("organizers", "DNP\n" + "x" * 300, "Línea 2: pasa de 200 caracteres"),
    ("objective", "x" * 100_000, "como máximo 4000 caracteres"),
    ("central_problem", "x" * 100_000, "como máximo 4000 caracteres"),
    ("central_objective", "x" * 100_000, "como máximo 4000 caracteres"),
    ("participants", "x" * 100_000, "como máximo 4000 caracteres"),
])
def test_the_form_bounds_what_the_api_bounds(client_as, carla, field, value, message):
    """The form took 5,000 organisers (one lookup each) and 100,000-character texts the API refuses."""
    response = client_as(carla).post("/conocimiento/talleres/nuevo/", _form(**{field: value}))
    assert response.status_code == 200 and not Workshop.objects.exists()
    assert message in response.content.decode()
