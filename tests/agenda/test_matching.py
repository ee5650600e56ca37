"""Matching needs and services: ranking, reasons in Spanish, neutral unknowns, constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from apps.agenda import matching
from apps.agenda.models import Status as EventStatus
from apps.demand.models import Status as NeedStatus
from apps.territory.models import Department, Municipality
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory
from tests.factories import org
from tests.offer.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _need(**fields):
    values = {"topic": "Acueducto veredal", "modality": "presencial",
              "problem": "Tres veredas sin agua potable; no sabemos formular el acueducto."}
    return NeedFactory(**(values | fields))


def _water(**fields):
    values = {"name": "Acompañamiento en acueductos rurales", "topics": "acueducto, agua potable",
              "summary": "Formulamos proyectos de acueducto veredal con los municipios.", "modality": "mixta",
              "sectors": ["agua-potable"]}
    return ServiceFactory(**(values | fields))


def test_the_best_service_comes_first_with_its_reasons_in_spanish(carla):
    need = _need()
    water = _water()
    housing = ServiceFactory(name="Mejoramiento de vivienda", sectors=["vivienda"],
                             summary="Subsidios de vivienda rural.", topics="vivienda")
    ServiceFactory(name="Catastro multipropósito", sectors=["hacienda"], summary="Actualización catastral.",
                   topics="catastro")
    matches = matching.matches_for_need(user=carla, need=need)
    assert [m.service for m in matches][:1] == [water]
    assert housing not in [m.service for m in matches]  # nothing in common: not a candidate
    top = matches[0]
    assert 0 < top.score <= 100
    assert "Es del mismo sector: Agua Potable y Saneamiento Básico." in top.reasons
    assert any(r.startswith("Temas en común: acueducto") for r in top.reasons)
    assert "Fortalece la capacidad que se pide: Planeación." in top.reasons
    assert "Está disponible en todo el país." in top.reasons


def test_a_service_that_does_not_cover_the_department_ranks_lower_and_says_why(carla):
    need = _need()
    everywhere = _water(name="A en todo el país")
    antioquia = _water(name="B solo en Antioquia", nationwide=False, departments=["05"])
    matches = {m.service: m for m in matching.matches_for_need(user=carla, need=need)}
    assert matches[everywhere].score > matches[antioquia].score
    assert "No se ofrece en Cundinamarca." in matches[antioquia].reasons


def test_an_unknown_municipal_category_is_neutral_never_a_guess(carla):
    need = _need()
    assert Municipality.objects.get(code="25290").category == ""
    sixth_only = _water(municipal_categories=["6"])
    (match,) = [m for m in matching.matches_for_need(user=carla, need=need) if m.service == sixth_only]
    assert "Fusagasugá: sin categoría registrada; no se tiene en cuenta." in match.reasons
    Municipality.objects.filter(code="25290").update(category="6")
    need = type(need).objects.get(pk=need.pk)
    (known,) = [m for m in matching.matches_for_need(user=carla, need=need) if m.service == sixth_only]
    assert "Atiende municipios de categoría sexta." in known.reasons
    assert known.score > match.score
    Municipality.objects.filter(code="25290").update(category="1")
    need = type(need).objects.get(pk=need.pk)
    (wrong,) = [m for m in matching.matches_for_need(user=carla, need=need) if m.service == sixth_only]
    assert wrong.score < match.score


def test_a_service_without_yearly_capacity_left_says_so(carla):
    need = _need()
    full = _water(yearly_capacity=1)
    now = timezone.now()
    EventFactory(starts_at=now, ends_at=now).services.add(full)
    (match,) = [m for m in matching.matches_for_need(user=carla, need=need) if m.service == full]
    assert "Ya usó sus 1 cupos de este año." in match.reasons


def test_the_date_window_must_overlap_the_validity(carla):
    need = _need(window_start=date(2027, 3, 1), window_end=date(2027, 4, 30))
    expired = _water(valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    (match,) = [m for m in matching.matches_for_need(user=carla, need=need) if m.service == expired]
    assert "No está vigente en las fechas que pide la solicitud." in match.reasons


def test_the_service_the_territory_asked_for_is_said(carla):
    service = ServiceFactory(name="Servicio elegido", sectors=["vivienda"])
    need = _need(service=service)
    (match,) = [m for m in matching.matches_for_need(user=carla, need=need) if m.service == service]
    assert match.reasons[0] == "Es el servicio que pidió el territorio."


def test_drafts_and_archived_services_are_never_suggested(carla):
    need = _need()
    _water(status="borrador")
    _water(status="archivado")
    assert matching.matches_for_need(user=carla, need=need) == []


def test_a_service_finds_the_open_needs_it_could_answer(carla):
    service = _water()
    open_need, other = _need(), _need(organization=org("05001"))
    _need(status=NeedStatus.SCHEDULED)
    _need(sector_id="vivienda", topic="Vivienda rural", problem="Casas en mal estado.")
    found = matching.matches_for_service(user=carla, service=service)
    assert {m.need for m in found} == {open_need, other}
    assert all(m.reasons for m in found)


def test_a_department_sees_only_its_needs_matched(dora):
    _water()
    mine = _need(organization=org("25001"))
    _need(organization=org("05001"))
    page = matching.matches_for_department(user=dora, department=Department.objects.get(code="25"))
    assert [need for need, _matches in page] == [mine]
    assert page.rows[0][1]
    assert page.next_number is None


def test_a_department_overview_is_paged_oldest_first(carla):
    _water()
    now = timezone.now()
    needs = [_need(organization=org("25001"), submitted_at=now - timezone.timedelta(days=days)) for days in (1, 3, 2)]
    oldest_first = [needs[1], needs[2], needs[0]]
    department = Department.objects.get(code="25")
    first = matching.matches_for_department(user=carla, department=department, page_size=2)
    assert ([n for n, _m in first], first.number, first.next_number) == (oldest_first[:2], 1, 2)
    second = matching.matches_for_department(user=carla, department=department, page=2, page_size=2)
    assert ([n for n, _m in second], second.next_number) == (oldest_first[2:], None)
    assert matching.matches_for_department(user=carla, department=department, page=3, page_size=2).rows == []
    everything = matching.matches_for_department(user=carla, department=department, page_size=None)
    assert [n for n, _m in everything] == oldest_first


def test_the_department_overview_scores_and_explains_like_one_need(carla):
    Municipality.objects.filter(code="25001").update(category="6")
    asked = ServiceFactory(name="Vivienda pedida", sectors=["vivienda"], topics="vivienda rural")
    services = [_water(name=f"Agua {i}", yearly_capacity=i, municipal_categories=["6"] if i % 2 else [],
                       nationwide=i % 3 == 0, departments=["25"] if i % 3 == 1 else ["05"],
                       modality=["presencial", "virtual", "mixta"][i % 3]) for i in range(6)]
    EventFactory(starts_at=timezone.now(), ends_at=timezone.now()).services.add(services[1])
    needs = [_need(), _need(organization=org("25001"), modality="virtual", window_start=date(2027, 1, 1)),
             _need(organization=org("25"), municipality_id=None, service=asked),
             _need(topic="Formulación de proyectos de acueducto y alcantarillado", capacity="gestion")]
    page = matching.matches_for_department(user=carla, department=Department.objects.get(code="25"), limit=10)
    assert {n for n, _m in page} == set(needs)
    compared = 0
    for need, best in page:
        assert best
        full = {m.service: m for m in matching.matches_for_need(user=carla, need=need, limit=0)}
        for match in best:
            assert (match.score, match.reasons) == (full[match.service].score, full[match.service].reasons)
            assert match.facts == full[match.service].facts
            compared += 1
        assert [m.score for m in best] == sorted((m.score for m in best), reverse=True)
    assert compared >= 10
    (asked_row,) = [best for need, best in page if need.service_id == asked.pk]
    assert asked in [m.service for m in asked_row]


@pytest.mark.parametrize("n", [1, 12])
def test_matching_runs_a_constant_number_of_queries(carla, django_assert_num_queries, n):
    for i in range(n):
        _water(name=f"Servicio {i}", departments=["25"], nationwide=bool(i % 2))
        _need(organization=org("25001" if i % 2 else "25290"))
    EventFactory(status=EventStatus.CONFIRMED)
    need = _need()
    department = Department.objects.get(code="25")
    pg = connection.vendor == "postgresql"
    # the need (with its territory and sector), the services as plain values, their sectors,
    # their departments, their events this year (+ the topic ranks on PostgreSQL), then the
    # services shown, as models with their organisation
    with django_assert_num_queries(6 + pg):
        matching.matches_for_need(user=carla, need=need)
    # the open needs of the page, the services as plain values, their sectors, departments and
    # events this year (+ the topic ranks), then the services shown, as models
    with django_assert_num_queries(6 + pg):
        matching.matches_for_department(user=carla, department=department)
    with django_assert_num_queries(6 + pg):
        matching.matches_for_department(user=carla, department=department, page_size=None)


def test_the_fast_points_equal_the_full_score(carla):
    Municipality.objects.filter(code="25001").update(category="6")
    services = [_water(), _water(municipal_categories=["6"], yearly_capacity=0), _water(nationwide=False,
                departments=["05"], modality="virtual", valid_until=date(2026, 1, 31)),
                ServiceFactory(sectors=["vivienda"], topics="acueducto")]
    needs = [_need(), _need(organization=org("25001"), window_start=date(2027, 1, 1)),
             _need(organization=org("25"), municipality_id=None, modality="virtual")]
    services += [ServiceFactory(name="De municipios", sectors=["agua-potable"], audience=["municipios"],
                                modality="presencial", valid_from=date(2027, 2, 1), yearly_capacity=5),
                 ServiceFactory(name="Sin nada en común", sectors=["hacienda"], topics="catastro")]
    needs += [_need(service=services[-1], modality="presencial", window_end=date(2026, 12, 31)),
              _need(organization=org("25"), municipality_id=None, window_start=date(2027, 3, 1),
                    window_end=date(2027, 3, 31))]
    compared = 0
    for need in needs:
        need = type(need).objects.select_related("municipality", "sector", "department").get(pk=need.pk)
        for service in services:
            service = matching._services(user=carla, only=type(service).objects.filter(pk=service.pk))[0]
            for rank in (None, 0.0, 0.04, 0.25):  # SQLite counts words; PostgreSQL passes its ts_rank
                full = matching.score(need, service, rank=rank)
                assert matching.points(need, service, rank=rank) == (full.score if full else None)
                compared += full is not None
    assert compared > 60


def test_matches_for_a_service_run_a_constant_number_of_queries(carla, django_assert_num_queries):
    service = _water(nationwide=False, departments=["25", "05"])
    for i in range(8):
        _need(organization=org("25001" if i % 2 else "05001"))
    pg = connection.vendor == "postgresql"
    # the service (with organisation), its sectors, departments and events; the needs (+ ranks)
    with django_assert_num_queries(5 + pg):
        assert len(matching.matches_for_service(user=carla, service=service)) == 8


def test_the_fast_path_for_one_need_equals_scoring_every_service(carla):
    """`matches_for_need` scores only candidates on plain values; scoring every service with the
    full `score()` must give the same services, scores and reasons."""
    Municipality.objects.filter(code="25001").update(category="6")
    asked = ServiceFactory(name="Pedido", sectors=["vivienda"], topics="vivienda")
    for i in range(5):
        _water(name=f"Agua {i}", municipal_categories=["6"] if i % 2 else [], nationwide=i % 2 == 0,
               departments=["25"] if i == 1 else ["05"], modality=["presencial", "virtual", "mixta"][i % 3])
    ServiceFactory(name="Otro tema", sectors=["hacienda"], topics="acueducto")
    ServiceFactory(name="Nada en común", sectors=["hacienda"], topics="catastro")
    for need in [_need(service=asked), _need(organization=org("25001"), window_end=date(2026, 1, 1)),
                 _need(organization=org("25"), municipality_id=None)]:
        fast = matching.matches_for_need(user=carla, need=need, limit=0)
        need = type(need).objects.select_related("municipality", "sector", "department").get(pk=need.pk)
        full = [m for s in matching._services(user=carla) if (m := matching.score(need, s, rank=(
            matching.topic_ranks([need]).get((need.pk, s.pk), 0.0) if connection.vendor == "postgresql" else None)))]
        full.sort(key=lambda m: (-m.score, m.service.name, m.service.pk))
        assert [(m.service, m.score, m.reasons) for m in fast] == [(m.service, m.score, m.reasons) for m in full]
        assert (asked in [m.service for m in fast]) == (need.service_id == asked.pk)
