"""One search across knowledge: every kind found by its words (accents ignored), ranked, with
escaped snippets that mark only the words found, filters by kind, sector and territory, counts per
kind, what the visitor may not see left out, and a constant number of queries.

Runs on SQLite (the accent-free fallback) and on PostgreSQL (Spanish full-text search) alike."""

import re

import pytest
from django.urls import reverse

from apps.knowledge.models import Commitment, Workshop
from apps.knowledge.search import MARK_START, MARK_STOP, knowledge_search, knowledge_search_result, marked_html
from apps.territory.models import Sector
from tests.factories import org
from tests.knowledge.practice_factories import GuidelineFactory, PracticeFactory
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def corpus():
    water = Sector.objects.get(slug="agua-potable")
    workshop = Workshop.objects.create(slug="taller-agua", title="Taller de agua y acueductos",
                                       objective="Mejorar la planeación de acueductos en Cundinamarca.",
                                       department_id="25")
    return {
        "service": ServiceFactory(name="Estructuración de acueductos rurales", sectors=["agua-potable"],
                                  summary="Acompañamos la formulación de acueductos veredales."),
        "practice": PracticeFactory(title="Acueducto veredal de Agua de Dios",
                                    what="La comunidad y la alcaldía formularon el acueducto."),
        "lesson": PracticeFactory(kind="leccion", title="Lo que aprendimos del acueducto", sector=water,
                                  what="Contratar la interventoría antes de empezar la obra del acueducto."),
        "guideline": GuidelineFactory(title="Guía de acueductos rurales", summary="Cómo formular un acueducto."),
        "workshop": workshop,
        "commitment": Commitment.objects.create(text="Publicar la guía de acueductos rurales", workshop=workshop,
                                                responsible=org("MinVivienda")),
    }


def test_it_finds_every_kind_with_counts(corpus):
    result = knowledge_search_result(user=_anonymous(), q="acueducto")
    assert result.counts == {"servicio": 1, "practica": 1, "leccion": 1, "orientacion": 1, "taller": 1,
                             "compromiso": 1}
    assert {h.kind for h in result.hits} == set(result.counts)
    practice = next(h for h in result.hits if h.kind == "practica")
    assert (practice.url, practice.territory_label) == (corpus["practice"].get_absolute_url(),
                                                       "Agua de Dios (Cundinamarca)")


def test_accents_and_case_do_not_matter(corpus):
    corpus["practice"].title = "Planeación participativa del acueducto"
    corpus["practice"].save()
    titles = [h.title for h in knowledge_search(user=_anonymous(), q="PLANEACION participativa")]
    assert titles == ["Planeación participativa del acueducto"]


def test_the_title_ranks_first(corpus):
    hits = knowledge_search(user=_anonymous(), q="interventoria", kinds=["leccion", "practica"])
    assert [h.title for h in hits] == ["Lo que aprendimos del acueducto"]
    ranked = knowledge_search(user=_anonymous(), q="acueducto veredal", kinds=["practica", "servicio"])
    assert ranked[0].title == "Acueducto veredal de Agua de Dios"


def test_snippets_mark_the_words_and_escape_the_rest(corpus):
    corpus["practice"].what = "<script>alert('x')</script> El acueducto <b>funciona</b> & cuesta 5 < 6."
    corpus["practice"].save()
    hit = knowledge_search(user=_anonymous(), q="acueducto", kinds=["practica"])[0]
    # PostgreSQL's ts_headline drops what looks like tags; SQLite's snippet keeps them, escaped.
    assert set(re.findall(r"<[^>]*>", hit.snippet_html)) == {"<mark>", "</mark>"}
    assert "<mark>acueducto</mark>" in hit.snippet_html and "&amp; cuesta 5 &lt; 6" in hit.snippet_html


def test_marked_html_is_always_balanced_and_escaped():
    assert marked_html(f"a {MARK_START}<b>{MARK_STOP} c") == "a <mark>&lt;b&gt;</mark> c"
    assert marked_html(f"{MARK_STOP}x{MARK_START}y") == "x<mark>y</mark>"
    assert marked_html(f"{MARK_START}{MARK_START}x{MARK_STOP}{MARK_STOP}") == "<mark>x</mark>"


def test_kind_sector_and_territory_filter(corpus):
    assert [h.kind for h in knowledge_search(user=_anonymous(), q="acueducto", kinds=["orientacion"])] == [
        "orientacion"]
    in_sector = knowledge_search_result(user=_anonymous(), q="acueducto", sector="agua-potable")
    # Workshops and commitments have no sector; this guideline names none.
    assert {k for k, n in in_sector.counts.items() if n} == {"servicio", "practica", "leccion"}
    in_antioquia = knowledge_search_result(user=_anonymous(), q="acueducto", department="05")
    assert {k for k, n in in_antioquia.counts.items() if n} == {"servicio"}  # nationwide
    in_town = knowledge_search_result(user=_anonymous(), q="acueducto", municipality="25001")
    assert {h.title for h in in_town.hits} >= {"Acueducto veredal de Agua de Dios"}
    assert "taller" not in {h.kind for h in in_town.hits}


def test_what_the_visitor_may_not_see_is_not_found(corpus, alice, bob):
    PracticeFactory(organization=org("25290"), published=False, title="Acueducto secreto")
    ServiceFactory(name="Acueducto en borrador", status="borrador")
    Commitment.objects.create(text="Acueducto de Fusagasugá: entregar estudios", municipality_id="25290")
    for user, expected in ((_anonymous(), False), (bob, False), (alice, True)):
        titles = {h.title for h in knowledge_search(user=user, q="acueducto", limit=50)}
        assert ("Acueducto secreto" in titles) is expected
        assert ("Acueducto de Fusagasugá: entregar estudios" in titles) is expected
        assert "Acueducto en borrador" not in titles


def test_queries_are_constant(corpus, django_assert_num_queries):
    # One per kind (hits with their joins and the window count) and the services' departments.
    with django_assert_num_queries(7):
        knowledge_search(user=_anonymous(), q="acueducto")
    PracticeFactory.create_batch(5, organization=org("05001"))
    GuidelineFactory.create_batch(3, title="Guía de acueductos")
    ServiceFactory.create_batch(3, name="Acueductos", nationwide=False)
    with django_assert_num_queries(7):
        assert len(knowledge_search(user=_anonymous(), q="acueducto", limit=50)) > 10


def test_an_empty_query_costs_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert knowledge_search_result(user=_anonymous(), q="  ¿? ").hits == []


def test_the_page_shows_tabs_with_counts_and_marked_results(client, corpus):
    page = client.get(reverse("knowledge:search"), {"q": "acueducto", "tipo": "practica"}).content.decode()
    assert "<mark>" in page and corpus["practice"].title in page and corpus["lesson"].title not in page
    assert "Lecciones aprendidas <span class=\"badge\">1</span>" in page


def test_the_api_searches(api_as, corpus):
    body = api_as(None).get("/api/v1/knowledge/search/", {"q": "acueducto", "kind": "taller"}).json()
    assert body["total"] == 6 and body["counts"]["taller"] == 1
    assert [r["title"] for r in body["results"]] == ["Taller de agua y acueductos"]


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.mark.parametrize(("typed", "found"), [("acueductos veredales", True), ("Acueducto", True),
                                              ("comunidades", True), ("alcaldías", True), ("puentes", False)])
def test_plurals_find_singulars(corpus, typed, found):
    titles = {h.title for h in knowledge_search(user=_anonymous(), q=typed, kinds=["practica"])}
    assert ("Acueducto veredal de Agua de Dios" in titles) is found
