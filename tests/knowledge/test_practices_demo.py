"""The demo practices and guidelines: Fusagasugá's aqueduct need finds another territory's practice."""

import pytest
from django.urls import reverse

from apps.accounts.demo import load as load_people
from apps.accounts.models import User
from apps.demand.demo import load as load_needs
from apps.demand.models import Need
from apps.knowledge import selectors_practices as selectors
from apps.knowledge.demo_practices import MARKER, load
from apps.knowledge.models import Guideline, GuidelineVersion, Practice
from apps.offer.demo import load as load_offer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_demo_answers_fusagasugas_need_and_is_idempotent(client):
    load_people()
    load_offer()
    load_needs()
    assert load()
    fusagasuga = User.objects.get(email="editor@fusagasuga.gov.co")
    need = Need.objects.get(organization=fusagasuga.organization, topic__icontains="acueducto")
    suggestions = selectors.practices_for_need(user=fusagasuga, need=need)
    assert suggestions[0].practice.title == MARKER
    assert suggestions[0].practice.municipality.display_name == "Agua de Dios"
    assert Practice.objects.filter(kind="leccion").exists()
    assert Guideline.objects.count() == 2
    assert sorted(GuidelineVersion.objects.values_list("number", flat=True)) == [1, 1, 2, 2]
    guide = Guideline.objects.get(organization__name__icontains="Vivienda")
    assert guide.services.exists()
    response = client.get(reverse("knowledge:guideline_file", args=[guide.pk, 1]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert load() == [] and Practice.objects.filter(title=MARKER).count() == 1
