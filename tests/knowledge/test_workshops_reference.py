"""The eight PATT workshops of 2021 and the policy's problem tree, loaded from the DNP report's data
(data/knowledge/talleres_2021.json) by `load_reference_data`: dates and participant counts as the
report gives them, the shared tree with four direct causes and four objectives answering them."""

from datetime import date

import pytest
from django.core.management import call_command

from apps.knowledge.models import Challenge, Commitment, TreeNode, Workshop
from apps.knowledge.reference import workshops_reference

pytestmark = pytest.mark.django_db

# The report's summary (docs/informe-patt-2021.txt, lines 1648-1686): date → delegates.
REPORT = {
    date(2021, 10, 20): 13, date(2021, 10, 27): 11, date(2021, 11, 5): 15, date(2021, 11, 9): 45,
    date(2021, 11, 16): 6, date(2021, 11, 18): 12, date(2021, 11, 25): 44, date(2021, 12, 1): 7,
}


@pytest.fixture
def loaded(db):
    call_command("load_reference_data", verbosity=0)


def test_it_loads_the_eight_workshops_with_their_dates_and_participants(loaded):
    workshops = Workshop.objects.filter(is_patt=False).order_by("held_on")
    assert {w.held_on: w.participants_count for w in workshops} == REPORT
    # "En este ejercicio participaron 153 personas" (line 1646).
    assert sum(REPORT.values()) == 153
    assert all(w.source.startswith("docs/informe-patt-2021.txt") for w in workshops)
    assert all(w.objective and w.organizers for w in workshops)


def test_the_patt_tree_has_four_direct_causes_and_four_objectives_each_answering_one(loaded):
    patt = Workshop.objects.get(is_patt=True)
    causes = list(patt.tree_nodes.filter(kind=TreeNode.Kind.CAUSE, parent=None).order_by("position"))
    objectives = list(patt.tree_nodes.filter(kind=TreeNode.Kind.OBJECTIVE, parent=None).order_by("position"))
    assert len(causes) == 4 and len(objectives) == 4
    assert [o.answers_id for o in objectives] == [c.pk for c in causes]
    assert causes[0].text.startswith("Bajo nivel de coordinación de los actores")
    assert objectives[3].text.startswith("Definir una estrategia de gestión de conocimiento")
    assert patt.central_problem.startswith("Asistencia técnica desarticulada")
    # Indirect causes hang from their direct cause: staff turnover under knowledge (cause 4).
    assert causes[3].children.filter(text__icontains="Alta rotación de personal").exists()
    assert "OCR" in patt.source_notes


def test_it_says_what_the_report_leaves_unclear(loaded):
    gp = Workshop.objects.get(slug="taller-2021-4-estrategia-gobierno-al-plan")
    assert "8 compromisos" in gp.source_notes and gp.commitments.count() == 7
    assert not gp.tree_nodes.exists()


def test_loading_again_duplicates_nothing_and_restores_edits(loaded):
    counts = (Workshop.objects.count(), TreeNode.objects.count(), Challenge.objects.count(), Commitment.objects.count())
    Workshop.objects.filter(slug="taller-2021-7-departamentos").update(participants_count=1)
    TreeNode.objects.filter(workshop__is_patt=True, kind=TreeNode.Kind.EFFECT).delete()
    call_command("load_reference_data", verbosity=0)
    assert (Workshop.objects.count(), TreeNode.objects.count(), Challenge.objects.count(),
            Commitment.objects.count()) == counts
    assert Workshop.objects.get(slug="taller-2021-7-departamentos").participants_count == 44


def test_the_data_file_cites_lines_of_the_report_in_the_repository():
    data = workshops_reference()
    assert len(data["workshops"]) == 8
    with open("docs/informe-patt-2021.txt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    # Each workshop's summary line in the report names its date as the data file has it.
    assert "20 de octubre de 2021" in lines[1647]
    assert "01 de diciembre de 2021" in lines[1683]
