"""Good practices and lessons: who writes them, who sees them, what they leave in the territory's
memory, and "¿Quién resolvió esto antes?" (other territories first by nearness, with reasons)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import Activity
from apps.demand.models import Need
from apps.knowledge import selectors_practices as selectors
from apps.knowledge import services_practices as services
from apps.knowledge.models import Practice
from apps.territory.models import Municipality, Sector
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.knowledge.practice_factories import PracticeFactory

pytestmark = pytest.mark.django_db


def _data(**extra) -> dict:
    return {"title": "Mesa de agua con las juntas de acción comunal", "what": "Una mesa mensual con las JAC.",
            "sector": Sector.objects.get(slug="agua-potable"), "kind": "practica", "published": True, **extra}


# --- Writing ---------------------------------------------------------------------------------------


def test_it_writes_a_municipal_practice_in_the_authors_own_territory(alice):
    medellin = Municipality.objects.get(code="05001")
    practice = services.practice_create(user=alice, data=_data(municipality=medellin))
    assert (practice.organization, practice.municipality_id, practice.department_id) == (org("25290"), "25290", "25")
    assert practice.history.first().history_user == alice


def test_publishing_writes_the_territorys_memory_once(alice):
    practice = services.practice_create(user=alice, data=_data())
    again = services.practice_create(user=alice, data=_data())  # a double submit
    assert again.pk == practice.pk and again.replayed
    rows = Activity.objects.filter(kind="practice.published")
    assert [(r.municipality_id, r.department_id, r.organization_id, r.link) for r in rows] == [
        ("25290", "25", org("25290").pk, practice.get_absolute_url())]


def test_an_unpublished_practice_is_recorded_when_first_published(alice):
    practice = services.practice_create(user=alice, data=_data(published=False))
    assert not Activity.objects.filter(kind="practice.published").exists()
    services.practice_update(user=alice, practice=practice, data={"published": True})
    services.practice_update(user=alice, practice=practice, data={"title": "Otro título"})
    assert Activity.objects.filter(kind="practice.published").count() == 1


def test_it_refuses_links_to_what_the_author_cannot_open(alice):
    theirs = NeedFactory(organization=org("05001"), department_id="05", municipality_id="05001")
    with pytest.raises(ValidationError) as error:
        services.practice_create(user=alice, data=_data(needs=[theirs]))
    assert "needs" in error.value.message_dict
    mine = NeedFactory()
    practice = services.practice_create(user=alice, data=_data(needs=[mine]))
    assert list(practice.needs.all()) == [mine]


def test_a_title_and_what_was_done_are_required_in_spanish(alice):
    with pytest.raises(ValidationError) as error:
        services.practice_create(user=alice, data=_data(title=" ", what=""))
    assert error.value.message_dict == {"title": ["Escriba un título."], "what": ["Cuente qué se hizo."]}


@pytest.mark.parametrize(("persona", "may_edit"), [
    ("alice", True), ("amy", False), ("dora", True), ("bob", False), ("dario", False), ("nina", False),
    ("carla", True),
])
def test_who_may_edit_fusagasugas_practice(request, persona, may_edit):
    practice = PracticeFactory(organization=org("25290"))
    user = request.getfixturevalue(persona)
    if may_edit:
        assert services.practice_update(user=user, practice=practice, data={"result": "Mejor"}).result == "Mejor"
    else:
        with pytest.raises(PermissionDenied):
            services.practice_update(user=user, practice=practice, data={"result": "Mejor"})


# --- Pages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    (None, 404), ("alice", 200), ("amy", 404), ("dora", 200), ("bob", 404), ("carla", 200),
])
def test_an_unpublished_practice_is_seen_only_by_its_territory(request, client_as, persona, status):
    practice = PracticeFactory(organization=org("25290"), published=False)
    user = request.getfixturevalue(persona) if persona else None
    assert client_as(user).get(practice.get_absolute_url()).status_code == status


def test_the_form_shares_a_practice_and_shows_it(client_as, alice):
    client = client_as(alice)
    assert client.get(reverse("knowledge:practice_create")).status_code == 200
    response = client.post(reverse("knowledge:practice_create"), {
        "kind": "leccion", "title": "Lo que aprendimos del catastro", "what": "Contratar el gestor antes.",
        "sector": "agua-potable", "published": "on"})
    practice = Practice.objects.get(title="Lo que aprendimos del catastro")
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Lección aprendida" in page and "Contratar el gestor antes." in page


def test_the_form_keeps_what_was_typed_and_says_what_is_missing(client_as, alice):
    response = client_as(alice).post(reverse("knowledge:practice_create"), {"kind": "practica", "title": "",
                                                                            "what": "Algo que hicimos"})
    assert response.status_code == 400
    assert "Algo que hicimos" in response.content.decode() and not Practice.objects.exists()


def test_the_list_filters_and_costs_the_same_for_one_or_many(client, django_assert_max_num_queries):
    PracticeFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("knowledge:practices"), {"sector": "agua-potable"}).status_code == 200
        return len(ctx)

    one = count()
    PracticeFactory.create_batch(5, organization=org("05001"))
    PracticeFactory(sector=Sector.objects.get(slug="vivienda"), title="Mejoramiento de vivienda")
    assert count() == one  # count, page of practices (territory joined), sectors, departments
    page = client.get(reverse("knowledge:practices"), {"sector": "agua-potable"}).content.decode()
    assert page.count('class="card practice"') == 6 and "Mejoramiento de vivienda" not in page


# --- ¿Quién resolvió esto antes? --------------------------------------------------------------------


@pytest.fixture
def categories():
    Municipality.objects.filter(code__in=["25290", "05002"]).update(category="4")


def test_it_suggests_other_territories_nearest_first_with_reasons(alice, categories):
    need = NeedFactory(topic="Acueducto rural de tres veredas")
    own = PracticeFactory(organization=org("25290"))
    far = PracticeFactory(organization=org("05001"), title="Acueducto en Medellín")
    same_category = PracticeFactory(organization=org("05002"), title="Acueducto en Abejorral")
    same_department = PracticeFactory(title="Acueducto en Agua de Dios")
    PracticeFactory(organization=org("25001"), published=False)
    PracticeFactory(organization=org("05001"), sector=Sector.objects.get(slug="vivienda"), title="Vivienda",
                    topics="", what="Mejoramiento de vivienda rural.", result="")

    suggestions = selectors.practices_for_need(user=alice, need=need, limit=10)

    assert [s.practice for s in suggestions] == [same_department, same_category, far]
    assert own not in [s.practice for s in suggestions]
    assert suggestions[0].reasons[:2] == ["Mismo departamento: Cundinamarca",
                                          "Mismo sector: Agua Potable y Saneamiento Básico"]
    assert suggestions[1].reasons[0] == "Misma categoría municipal: Cuarta"
    assert any(r.startswith("Tema parecido") and "acueducto" in r for r in suggestions[2].reasons)


def test_a_similar_topic_is_enough_without_the_sector(alice):
    need = NeedFactory(topic="Acueducto veredal", sector=Sector.objects.get(slug="vivienda"))
    practice = PracticeFactory(sector=None)
    assert [s.practice for s in selectors.practices_for_need(user=alice, need=need)] == [practice]


def test_the_suggestions_cost_one_query_for_one_or_many(alice, django_assert_num_queries):
    need = Need.objects.select_related("municipality__department", "department").get(pk=NeedFactory().pk)
    PracticeFactory()
    with django_assert_num_queries(1):  # practices with sector, organisation and territory joined
        assert len(selectors.practices_for_need(user=alice, need=need)) == 1
    PracticeFactory.create_batch(4, organization=org("05001"))
    with django_assert_num_queries(1):
        assert len(selectors.practices_for_need(user=alice, need=need)) == 5


def test_the_need_page_shows_who_solved_it_before(client_as, alice):
    need = NeedFactory()
    practice = PracticeFactory(title="Acueducto de Agua de Dios")
    page = client_as(alice).get(need.get_absolute_url()).content.decode()
    assert "¿Quién resolvió esto antes?" in page and practice.title in page and "Mismo departamento" in page


def test_the_search_page_finds_other_territories_practices(client_as, alice):
    practice = PracticeFactory(title="Acueducto de Agua de Dios")
    PracticeFactory(organization=org("25290"), title="El nuestro")
    page = client_as(alice).get(reverse("knowledge:who_solved"), {"q": "acueducto"}).content.decode()
    assert practice.title in page and "El nuestro" not in page
    need = NeedFactory()
    page = client_as(alice).get(reverse("knowledge:who_solved"), {"solicitud": need.pk}).content.decode()
    assert practice.title in page and f"#{need.pk}" in page


def test_someone_elses_need_is_not_found_on_the_search_page(client_as, bob):
    need = NeedFactory()
    assert client_as(bob).get(reverse("knowledge:who_solved"), {"solicitud": need.pk}).status_code == 404


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_lists_published_practices_and_hides_the_rest(api_as, bob):
    published = PracticeFactory()
    hidden = PracticeFactory(organization=org("25290"), published=False)
    body = api_as(None).get("/api/v1/knowledge/practices/", {"sector": "agua-potable"}).json()
    assert [p["id"] for p in body["results"]] == [published.pk]
    assert body["results"][0]["municipality_name"] == "Agua de Dios"
    assert api_as(bob).get(f"/api/v1/knowledge/practices/{hidden.pk}/").status_code == 404


def test_an_evidence_link_must_be_a_web_address(alice):
    with pytest.raises(ValidationError) as error:
        services.practice_create(user=alice, data=_data(evidence_url="javascript:alert(1)"))
    assert "evidence_url" in error.value.message_dict
    assert not Practice.objects.exists()


def test_the_api_list_costs_the_same_for_one_or_many(api_as, django_assert_num_queries):
    PracticeFactory()
    api = api_as(None)
    with django_assert_num_queries(2):  # count, page of practices with sector, organisation, territory
        assert len(api.get("/api/v1/knowledge/practices/").json()["results"]) == 1
    PracticeFactory.create_batch(5, organization=org("05001"))
    with django_assert_num_queries(2):
        assert len(api.get("/api/v1/knowledge/practices/").json()["results"]) == 6


@pytest.mark.parametrize(("persona", "status"), [
    (None, 302), ("alice", 200), ("amy", 403), ("dora", 200), ("bob", 403), ("nina", 403), ("carla", 200),
])
def test_who_may_open_the_edit_form(request, client_as, persona, status):
    practice = PracticeFactory(organization=org("25290"))
    user = request.getfixturevalue(persona) if persona else None
    assert client_as(user).get(reverse("knowledge:practice_edit", args=[practice.pk])).status_code == status


def test_an_unpublished_practice_edit_form_is_404_for_others(client_as, amy):
    practice = PracticeFactory(organization=org("25290"), published=False)
    assert client_as(amy).get(reverse("knowledge:practice_edit", args=[practice.pk])).status_code == 404


def test_a_territorys_page_shows_its_practices_and_an_entitys_its_guidelines(client, settings, tmp_path):
    from tests.knowledge.practice_factories import GuidelineFactory

    settings.MEDIA_ROOT = tmp_path
    PracticeFactory(title="Acueducto de Agua de Dios")
    PracticeFactory(title="Borrador de Agua de Dios", published=False)
    page = client.get("/territorio/municipios/25001/").content.decode()
    assert "Acueducto de Agua de Dios" in page and "Borrador de Agua de Dios" not in page
    assert "Acueducto de Agua de Dios" in client.get("/territorio/departamentos/25/").content.decode()
    assert "aún no ha compartido" in client.get("/territorio/municipios/25290/").content.decode()
    guideline = GuidelineFactory(versions=0)
    assert guideline.title in client.get("/territorio/entidades/MinVivienda/").content.decode()


def test_the_api_shares_and_changes_a_practice_through_the_services(api_as, alice, amy):
    need = NeedFactory()
    body = {"title": "Veeduría ciudadana del acueducto", "what": "Una veeduría con las JAC.\nCada mes.",
            "sector": "agua-potable", "kind": "practica", "needs": [need.pk], "published": True}
    response = api_as(alice).post("/api/v1/knowledge/practices/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["municipality"], created["sector"]) == ("25290", "agua-potable")
    assert list(Practice.objects.get().needs.all()) == [need]
    assert api_as(alice).post("/api/v1/knowledge/practices/", body, format="json").status_code == 200  # replayed
    assert Activity.objects.filter(kind="practice.published").count() == 1
    url = f"/api/v1/knowledge/practices/{created['id']}/"
    assert api_as(alice).patch(url, {"result": "Obras a tiempo."}, format="json").json()["result"] == "Obras a tiempo."


@pytest.mark.parametrize(("body", "field"), [
    ({"title": "", "what": "x"}, "title"),
    ({"title": "A\nB", "what": "x"}, "title"),
    ({"title": "A", "what": "x", "sector": "no-existe"}, "sector"),
    ({"title": "A", "what": "x", "needs": [999999]}, "needs"),
])
def test_the_api_says_what_is_wrong_in_spanish(api_as, alice, body, field):
    response = api_as(alice).post("/api/v1/knowledge/practices/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_the_api_refuses_anonymous_writes_and_others_practices(api_as, amy, bob):
    practice = PracticeFactory(organization=org("25290"))
    assert api_as(None).post("/api/v1/knowledge/practices/", {"title": "x", "what": "y"}).status_code in (401, 403)
    url = f"/api/v1/knowledge/practices/{practice.pk}/"
    assert api_as(amy).patch(url, {"result": "z"}, format="json").status_code == 403
    hidden = PracticeFactory(organization=org("25290"), published=False)
    assert api_as(bob).patch(f"/api/v1/knowledge/practices/{hidden.pk}/", {"result": "z"},
                             format="json").status_code == 404


def test_an_attended_need_invites_its_territory_to_share_and_the_form_starts_linked(client_as, alice, bob):
    need = NeedFactory(status="atendida", topic="Acueducto de Bermejal")
    page = client_as(alice).get(need.get_absolute_url()).content.decode()
    share = f'{reverse("knowledge:practice_create")}?solicitud={need.pk}'
    assert share in page
    form = client_as(alice).get(share).content.decode()
    assert re.search(rf'name="needs" value="{need.pk}"[^>]*checked', form)
    assert 'value="Acueducto de Bermejal"' in form
    assert client_as(bob).get(share).status_code == 404
    filed = NeedFactory()
    filed_page = client_as(alice).get(filed.get_absolute_url()).content.decode()
    assert "Compartir la experiencia" not in filed_page


def test_a_withdrawn_practice_leaves_the_public_timeline_and_comes_back(client, client_as, alice, bob):
    """Unpublishing kept the «publicada» row public: its title and text stayed on the territory's page."""
    practice = services.practice_create(user=alice, data=_data(title="Mesa de agua retirada"))
    page = reverse("territory:municipality", args=["25290"])
    assert "Mesa de agua retirada" in client.get(page).content.decode()
    services.practice_update(user=alice, practice=practice, data={"published": False})
    assert "Mesa de agua retirada" not in client.get(page).content.decode()
    assert "Mesa de agua retirada" not in client_as(bob).get(page).content.decode()
    assert "Mesa de agua retirada" in client_as(alice).get(page).content.decode()  # its own people still see it
    services.practice_update(user=alice, practice=practice, data={"published": True})
    assert "Mesa de agua retirada" in client.get(page).content.decode()
    assert Activity.objects.filter(kind="practice.published").count() == 1


@pytest.mark.parametrize("url_name", ["knowledge:who_solved", "knowledge:practice_create"])
def test_a_need_id_in_other_digits_is_ignored_not_a_server_error(client_as, alice, url_name):
    """"²" passed str.isdigit() and broke int(): a 500."""
    for value in ("²", "١٢", "12²"):
        assert client_as(alice).get(reverse(url_name), {"solicitud": value}).status_code == 200


def test_the_similar_topic_is_said_with_the_words_as_written(alice):
    need = NeedFactory(topic="Formulación del acueducto, vereda Bermejal")
    PracticeFactory(sector=None, title="Formulación de acueductos veredales")
    [suggestion] = selectors.practices_for_need(user=alice, need=need)
    assert "«formulación»" in suggestion.reasons[-1] and "«formulacion»" not in suggestion.reasons[-1]
