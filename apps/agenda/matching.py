"""Match needs to the published services that could answer them, with a score and its reasons.

Score (0–100), each criterion with a plain Spanish reason:

    same sector 25 · topic words in common 25 · capacity 15 · covers the need's department 10 ·
    modality fits 8 · municipal category (or, for a department's need, audience) fits 7 ·
    yearly capacity left 5 · valid in the need's date window 5

Unknown data (no municipal category registered, no yearly capacity stated, no date window)
scores half the criterion — neutral, never a guess. The service the territory asked for gets
10 more (capped at 100). Only services with the same sector, topic words in common, or asked for
by name are candidates.

Topic words: on PostgreSQL the Spanish full-text search of the catalogue (`search_vector`,
stemmed and ranked, one query for any number of needs); elsewhere the accent-free words of the
need's topic (and plan goal) found in the service's search document. The reason names the words
found in both (compared by their first six letters, so "acueductos" meets "acueducto").

Constant queries: services (with organisation, sectors, departments and their events this
year) are loaded once per call, needs once, topic ranks in one query; scoring runs in Python,
first as bare `points()` over the candidates, then with reasons for the best ones only.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.agenda.models import Event
from apps.agenda.models import Status as EventStatus
from apps.core.text import normalize
from apps.core.vocabulary import Capacity, Modality, MunicipalCategory
from apps.demand.models import Need
from apps.demand.models import Status as NeedStatus
from apps.demand.permissions import need_scope
from apps.offer.models import Service
from apps.territory.models import Department

OPEN_NEED_STATUSES = (NeedStatus.FILED, NeedStatus.IN_REVIEW)
WEIGHTS = {"sector": 25, "topic": 25, "capacity": 15, "coverage": 10, "modality": 8, "category": 7,
           "yearly": 5, "validity": 5}
ASKED_FOR_BONUS = 10
RANK_FULL = 0.1  # a ts_rank at or above this earns every topic point
_WORD = re.compile(r"[a-z0-9ñ]{4,}")
# Frequent words that carry no topic (PostgreSQL's Spanish dictionary drops these too).
STOPWORDS = frozenset(
    "para como sobre entre desde hasta donde cuando porque pero tiene tienen tenemos sabemos este esta estos "
    "estas esos esas todo todos toda todas nuestro nuestra nuestros nuestras municipio municipal municipios "
    "proyecto proyectos tambien muy mas menos sin con los las del que una unos unas sus ser hay".split()
)


@dataclass
class Match:
    score: int
    reasons: list[str]
    service: Service | None = None
    need: Need | None = None
    facts: dict = field(default_factory=dict)


def topic_words(*texts: str) -> list[str]:
    """Distinct accent-free words of four letters or more, without stopwords, in order."""
    words = _WORD.findall(normalize(" ".join(t for t in texts if t)))
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS and not w.isdigit()))[:24]


def _stem(word: str) -> str:
    return word[:6] if len(word) > 6 else word


def _need_words(need: Need) -> list[str]:
    # The topic (and plan goal) say what the need is about; the free-text problem adds mostly
    # common words ("necesitamos", "apoyo") that would relate every need to every service.
    cached = getattr(need, "_match_words", None)
    if cached is None:
        cached = need._match_words = topic_words(need.topic, need.plan_goal)
    return cached


@dataclass(frozen=True)
class ServiceFacts:
    """What scoring reads from a service, computed once per call (sets for fast lookups)."""

    sectors: frozenset
    stems: frozenset
    capacities: frozenset
    departments: frozenset
    categories: frozenset
    for_departments: bool


def facts(service: Service) -> ServiceFacts:
    cached = getattr(service, "_match_facts", None)
    if cached is None:
        cached = service._match_facts = ServiceFacts(
            sectors=frozenset(s.pk for s in service.sectors.all()),
            stems=frozenset(_stem(w) for w in _WORD.findall(service.search_document)),
            capacities=frozenset(service.capacities),
            departments=frozenset(d.pk for d in service.departments.all()),
            categories=frozenset(service.municipal_categories),
            for_departments=not service.audience or "departamentos" in service.audience,
        )
    return cached


# --- Loading --------------------------------------------------------------------------------

def _services(*, user: User, only: QuerySet | None = None) -> list[Service]:
    """Published services with what scoring reads, in 4 queries whatever their number: the
    services (with their organisation), their sectors, their departments and their events this
    year. The links are read as plain pairs: `prefetch_related` costs a queryset per service,
    a second for a thousand services."""
    qs = (only if only is not None else Service.objects.all()).filter(status=Service.Status.PUBLISHED)
    services = list(qs.select_related("organization").defer("description", "requirements", "links"))
    ids = qs.values("pk")  # a subquery: a thousand bound ids cost more than the join
    sectors: dict[int, set] = {}
    for service_id, sector_id in Service.sectors.through.objects.filter(service_id__in=ids).values_list(
            "service_id", "sector_id"):
        sectors.setdefault(service_id, set()).add(sector_id)
    departments: dict[int, set] = {}
    for service_id, code in Service.departments.through.objects.filter(service_id__in=ids).values_list(
            "service_id", "department_id"):
        departments.setdefault(service_id, set()).add(code)
    year = timezone.localdate().year
    links = Event.services.through.objects.filter(
        service_id__in=ids, event__starts_at__year=year, event__merged_into__isnull=True,
    ).exclude(event__status=EventStatus.CANCELLED)
    used = dict(links.values("service_id").annotate(n=Count("event_id")).values_list("service_id", "n"))
    for service in services:
        service.events_this_year = used.get(service.pk, 0)
        service._match_facts = ServiceFacts(
            sectors=frozenset(sectors.get(service.pk, ())),
            stems=frozenset(_stem(w) for w in _WORD.findall(service.search_document)),
            capacities=frozenset(service.capacities),
            departments=frozenset(departments.get(service.pk, ())),
            categories=frozenset(service.municipal_categories),
            for_departments=not service.audience or "departamentos" in service.audience,
        )
    return services


COMMON_SHARE = 0.1  # a word in more than this share of the services says nothing about a topic


def _drop_common_words(needs: list[Need], services: list[Service]) -> None:
    """Keep, of each need's topic words, those found in at most COMMON_SHARE of the services
    (like an IDF cut): "territorial" or "gestion" would relate a need to the whole catalogue."""
    if len(services) < 20:
        return
    counts: dict[str, int] = {}
    for service in services:
        for stem in facts(service).stems:
            counts[stem] = counts.get(stem, 0) + 1
    limit = COMMON_SHARE * len(services)
    for need in needs:
        need._match_words = [w for w in _need_words(need) if counts.get(_stem(w), 0) <= limit]


def _needs(qs: QuerySet[Need]) -> list[Need]:
    return list(qs.select_related("sector", "department", "municipality", "organization", "service"))


def topic_ranks(needs: list[Need], service_ids: list[int] | None = None,
                same_sector: bool = False) -> dict[tuple[int, int], float]:
    """PostgreSQL: ts_rank of each (need, service) pair whose Spanish tsvector matches any topic
    word of the need — one query for all needs (`same_sector`: only the services of the need's
    sector). Empty elsewhere (SQLite scores words in Python)."""
    if connection.vendor != "postgresql" or not needs:
        return {}
    ids, queries, sectors = [], [], []
    for need in needs:
        words = _need_words(need)
        if words:
            ids.append(need.pk)
            queries.append(" | ".join(words))  # only [a-z0-9ñ] words: no tsquery syntax can slip in
            sectors.append(need.sector_id)
    if not ids:
        return {}
    sector_join = ("JOIN offer_service_sectors ss ON ss.service_id = s.id AND ss.sector_id = q.sector "
                   if same_sector else "")
    sql = (
        "SELECT q.need_id, s.id, ts_rank(s.search_vector, q.query) "  # noqa: S608 - constant fragments only
        "FROM (SELECT n AS need_id, c AS sector, to_tsquery('spanish', w) AS query "
        "      FROM unnest(%s::int[], %s::text[], %s::text[]) AS u(n, w, c)) q "
        "JOIN offer_service s ON s.search_vector @@ q.query "
        f"{sector_join}"
        "WHERE s.status = 'publicado'"
    )
    params: list = [ids, queries, sectors]
    if service_ids is not None:
        sql += " AND s.id = ANY(%s::int[])"
        params.append(service_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(need_id, service_id): float(rank) for need_id, service_id, rank in cursor.fetchall()}


# --- Scoring --------------------------------------------------------------------------------

def _half(weight: int) -> int:
    return weight // 2


def _overlaps(a_start: date | None, a_end: date | None, b_start: date | None, b_end: date | None) -> bool:
    return (a_end is None or b_start is None or a_end >= b_start) and (b_end is None or a_start is None
                                                                        or b_end >= a_start)


def score(need: Need, service: Service, *, rank: float | None = None) -> Match | None:
    """The match of one need and one service, or None when nothing relates them.

    `rank`: the PostgreSQL ts_rank of the pair (None on SQLite: words are counted instead).
    """
    points, reasons = 0, []
    same_sector = need.sector_id in facts(service).sectors
    stems = facts(service).stems
    words = [w for w in _need_words(need) if _stem(w) in stems]
    asked_for = need.service_id == service.pk
    if not (same_sector or words or rank or asked_for):
        return None
    if asked_for:
        reasons.append(_("Es el servicio que pidió el territorio."))
    if same_sector:
        points += WEIGHTS["sector"]
        reasons.append(_("Es del mismo sector: %(sector)s.") % {"sector": need.sector.name})
    topic = _topic_points(rank, len(words))
    if topic:
        points += topic
        if words:
            reasons.append(_("Temas en común: %(words)s.") % {"words": ", ".join(words[:5])})
        else:
            reasons.append(_("Su descripción trata el tema de la solicitud."))
    if need.capacity in service.capacities:
        points += WEIGHTS["capacity"]
        reasons.append(_("Fortalece la capacidad que se pide: %(c)s.") % {"c": Capacity(need.capacity).label})
    points += _coverage(need, service, reasons)
    points += _modality(need, service, reasons)
    points += _category(need, service, reasons)
    points += _yearly(service, reasons)
    points += _validity(need, service, reasons)
    if asked_for:
        points += ASKED_FOR_BONUS
    return Match(score=min(100, points), reasons=reasons, service=service, need=need,
                 facts={"same_sector": same_sector, "words": words, "rank": rank})


def _topic_points(rank: float | None, common: int) -> int:
    if rank is not None:
        return round(WEIGHTS["topic"] * min(1.0, rank / RANK_FULL))
    return round(WEIGHTS["topic"] * min(1.0, common / 3))


def points(need: Need, service: Service, *, rank: float | None = None) -> int | None:
    """`score(need, service).score` without writing the reasons: ranks many pairs fast."""
    f = facts(service)
    same_sector = need.sector_id in f.sectors
    common = sum(1 for w in _need_words(need) if _stem(w) in f.stems)
    asked_for = need.service_id == service.id
    if not (same_sector or common or rank or asked_for):
        return None
    total = WEIGHTS["sector"] * same_sector + _topic_points(rank, common)
    total += WEIGHTS["capacity"] * (need.capacity in f.capacities)
    total += WEIGHTS["coverage"] * (service.nationwide or need.department_id in f.departments)
    total += WEIGHTS["modality"] * (service.modality == need.modality
                                    or Modality.MIXED in (service.modality, need.modality))
    weight = WEIGHTS["category"]
    if need.municipality_id is None:
        total += weight * f.for_departments
    elif not f.categories:
        total += weight
    elif not need.municipality.category:
        total += _half(weight)
    else:
        total += weight * (need.municipality.category in f.categories)
    if service.yearly_capacity is None:
        total += _half(WEIGHTS["yearly"])
    else:
        total += WEIGHTS["yearly"] * (service.yearly_capacity > (getattr(service, "events_this_year", 0) or 0))
    if not (need.window_start or need.window_end):
        total += _half(WEIGHTS["validity"])
    else:
        total += WEIGHTS["validity"] * _overlaps(need.window_start, need.window_end, service.valid_from,
                                                 service.valid_until)
    return min(100, total + ASKED_FOR_BONUS * asked_for)


def _coverage(need: Need, service: Service, reasons: list[str]) -> int:
    if service.nationwide:
        reasons.append(_("Está disponible en todo el país."))
        return WEIGHTS["coverage"]
    if need.department_id in facts(service).departments:
        reasons.append(_("Está disponible en %(d)s.") % {"d": need.department.display_name})
        return WEIGHTS["coverage"]
    reasons.append(_("No se ofrece en %(d)s.") % {"d": need.department.display_name})
    return 0


def _modality(need: Need, service: Service, reasons: list[str]) -> int:
    if service.modality == need.modality or Modality.MIXED in (service.modality, need.modality):
        reasons.append(_("La modalidad sirve: el servicio es %(s)s y la solicitud pide %(n)s.")
                       % {"s": Modality(service.modality).label.lower(), "n": Modality(need.modality).label.lower()})
        return WEIGHTS["modality"]
    reasons.append(_("La modalidad no coincide: el servicio es %(s)s y la solicitud pide %(n)s.")
                   % {"s": Modality(service.modality).label.lower(), "n": Modality(need.modality).label.lower()})
    return 0


def _category(need: Need, service: Service, reasons: list[str]) -> int:
    weight = WEIGHTS["category"]
    if need.municipality_id is None:  # a department's own need: the service's audience decides
        if facts(service).for_departments:
            reasons.append(_("Atiende a departamentos."))
            return weight
        reasons.append(_("Está dirigido a municipios, no a departamentos."))
        return 0
    if not service.municipal_categories:
        reasons.append(_("Atiende municipios de todas las categorías."))
        return weight
    category = need.municipality.category
    if not category:
        reasons.append(_("%(m)s: sin categoría registrada; no se tiene en cuenta.")
                       % {"m": need.municipality.display_name})
        return _half(weight)
    label = MunicipalCategory(category).label.lower()
    if category in service.municipal_categories:
        reasons.append(_("Atiende municipios de categoría %(c)s.") % {"c": label})
        return weight
    reasons.append(_("No está dirigido a municipios de categoría %(c)s.") % {"c": label})
    return 0


def _yearly(service: Service, reasons: list[str]) -> int:
    used = getattr(service, "events_this_year", 0) or 0
    if service.yearly_capacity is None:
        return _half(WEIGHTS["yearly"])
    left = service.yearly_capacity - used
    if left > 0:
        reasons.append(_("Le quedan %(left)s de %(total)s cupos este año.") % {"left": left,
                                                                           "total": service.yearly_capacity})
        return WEIGHTS["yearly"]
    reasons.append(_("Ya usó sus %(total)s cupos de este año.") % {"total": service.yearly_capacity})
    return 0


def _validity(need: Need, service: Service, reasons: list[str]) -> int:
    if not (need.window_start or need.window_end):
        return _half(WEIGHTS["validity"])
    if _overlaps(need.window_start, need.window_end, service.valid_from, service.valid_until):
        reasons.append(_("Está vigente en las fechas que pide la solicitud."))
        return WEIGHTS["validity"]
    reasons.append(_("No está vigente en las fechas que pide la solicitud."))
    return 0


def _ranked(matches: list[Match], limit: int | None) -> list[Match]:
    matches.sort(key=lambda m: (-m.score, (m.service.name if m.service else ""), (m.need.pk if m.need else 0)))
    return matches[:limit] if limit else matches


# --- Public API -----------------------------------------------------------------------------

def matches_for_need(*, user: User, need: Need, limit: int = 10) -> list[Match]:
    """The published services that could answer `need`, best first (`Match.service` loaded).

    Queries: the need with its relations (1), the services with theirs (4) and, on PostgreSQL,
    the topic ranks (1). The caller has already checked that `user` may see `need`.
    """
    need = _needs(Need.objects.filter(pk=need.pk))[0]
    services = _services(user=user)
    _drop_common_words([need], services)
    ranks = topic_ranks([need])
    pg = connection.vendor == "postgresql"
    out = []
    for service in services:
        match = score(need, service, rank=ranks.get((need.pk, service.pk), 0.0) if pg else None)
        if match:
            out.append(match)
    return _ranked(out, limit)


def matches_for_needs(*, user: User, needs: list[Need], limit: int = 3,
                      same_sector: bool = False) -> dict[int, list[Match]]:
    """The best `limit` services for each need of a list, in constant queries.

    Only candidates are scored (same sector, a topic word in common, or asked for; with
    `same_sector`, only the services of the need's sector and the one it asked for), with
    `points()`; the reasons are written for the best `limit` of each need only.
    """
    services = _services(user=user)
    _drop_common_words(needs, services)
    by_id = {s.pk: s for s in services}
    by_sector: dict[str, list[Service]] = {}
    by_stem: dict[str, list[Service]] = {}
    for service in services:
        for sector in facts(service).sectors:
            by_sector.setdefault(sector, []).append(service)
        for stem in facts(service).stems:
            by_stem.setdefault(stem, []).append(service)
    ranks = topic_ranks(needs, same_sector=same_sector)
    pg = connection.vendor == "postgresql"
    hits: dict[int, list[int]] = {}
    for need_id, service_id in ranks:
        hits.setdefault(need_id, []).append(service_id)
    out: dict[int, list[Match]] = {}
    for need in needs:
        candidates = {s.id: s for s in by_sector.get(need.sector_id, ())}
        if not same_sector:
            for word in _need_words(need):
                candidates.update((s.id, s) for s in by_stem.get(_stem(word), ()))
            candidates.update((pk, by_id[pk]) for pk in hits.get(need.id, ()) if pk in by_id)
        if need.service_id in by_id:
            candidates[need.service_id] = by_id[need.service_id]
        scored = []
        for service in candidates.values():
            rank = ranks.get((need.id, service.id), 0.0) if pg else None
            value = points(need, service, rank=rank)
            if value is not None:
                scored.append((-value, service.name, service.id, rank))
        scored.sort()
        best = [score(need, by_id[pk], rank=rank) for _v, _n, pk, rank in scored[:limit]]
        out[need.pk] = _ranked([m for m in best if m], limit)
    return out


def open_needs(*, user: User) -> QuerySet[Need]:
    """Needs waiting for the agenda (radicadas or in review) that `user` may see."""
    return Need.objects.filter(need_scope(user), status__in=OPEN_NEED_STATUSES)


def matches_for_department(*, user: User, department: Department, limit: int = 3) -> list[tuple[Need, list[Match]]]:
    """Every open need of a department with its best services of the same sector (or the one it
    asked for): the coordinator's overview. One need's page weighs the whole catalogue."""
    needs = _needs(open_needs(user=user).filter(department=department).order_by("submitted_at", "id"))
    best = matches_for_needs(user=user, needs=needs, limit=limit, same_sector=True)
    return [(need, best[need.pk]) for need in needs]


def matches_for_service(*, user: User, service: Service, limit: int = 20) -> list[Match]:
    """The open needs `service` could answer, best first (`Match.need` loaded).

    Candidates are the needs `user` may see in the service's sectors or departments covered, or
    that asked for it; queries: the service (4), the needs (1) and on PostgreSQL the ranks (1).
    """
    loaded = _services(user=user, only=Service.objects.filter(pk=service.pk))
    if not loaded:
        return []
    service = loaded[0]
    sectors = list(facts(service).sectors)
    candidates = open_needs(user=user).filter(Q(sector_id__in=sectors) | Q(service_id=service.pk))
    if not service.nationwide:
        candidates = candidates.filter(department_id__in=list(facts(service).departments))
    needs = _needs(candidates)
    pg = connection.vendor == "postgresql"
    ranks = topic_ranks(needs, service_ids=[service.pk])
    out = [m for need in needs if (m := score(need, service, rank=ranks.get((need.pk, service.pk), 0.0) if pg
                                              else None))]
    return _ranked(out, limit)
