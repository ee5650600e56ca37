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

Many needs at once (`matches_for_needs`, `matches_for_department`): the services are read as
plain values into `ServiceFacts` (no model instances), needs with the same topic words share
one row of the rank query, each need scores only its candidates with `_points()` on plain
values, the services shown are then read as models (one query) and each `Match.reasons` is
written on first reading. A department's open needs come in pages of 50: about 0.1 s a page
with 20,000 needs, 1,000 services and 5,000 events on PostgreSQL (all 1,557 of the busiest
department at once: about 0.5 s, mostly loading the needs themselves).
"""

import functools
import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext

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
SECTOR_WEIGHT, TOPIC_WEIGHT, CAPACITY_WEIGHT, COVERAGE_WEIGHT = (WEIGHTS[k] for k in ("sector", "topic", "capacity",
                                                                                     "coverage"))
MODALITY_WEIGHT, CATEGORY_WEIGHT, VALIDITY_WEIGHT = WEIGHTS["modality"], WEIGHTS["category"], WEIGHTS["validity"]
_WORD = re.compile(r"[a-z0-9ñ]{4,}")
# Frequent words that carry no topic (PostgreSQL's Spanish dictionary drops these too).
STOPWORDS = frozenset(
    "para como sobre entre desde hasta donde cuando porque pero tiene tienen tenemos sabemos este esta estos "
    "estas esos esas todo todos toda todas nuestro nuestra nuestros nuestras municipio municipal municipios "
    "proyecto proyectos tambien muy mas menos sin con los las del que una unos unas sus ser hay".split()
)


@functools.lru_cache(maxsize=512)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


def _(message: str) -> str:
    """`gettext` remembered per language: a department's overview writes the same few dozen
    sentences thousands of times, and Django's lookup through the fallback catalogues costs
    more than the scoring itself."""
    return _translated(get_language(), message)


@functools.lru_cache(maxsize=256)
def _choice_label(language: str | None, choices: type, value: str) -> str:
    return str(choices(value).label)


def _label(choices: type, value: str) -> str:
    return _choice_label(get_language(), choices, value).lower()


def _label_cased(choices: type, value: str) -> str:
    return _choice_label(get_language(), choices, value)


class Match:
    """A service for a need: its score and, in plain Spanish, why. `reasons` and `facts` may be
    written lazily (`explain`), on first reading: an overview ranks thousands of pairs and shows
    the reasons of a few."""

    def __init__(self, score: int, reasons: list[str] | None = None, service: Service | None = None,
                 need: Need | None = None, facts: dict | None = None, *,
                 explain: Callable[[], "Match | None"] | None = None) -> None:
        self.score = score
        self.service = service
        self.need = need
        self._reasons = reasons
        self._facts = facts
        self._explain = explain

    def _explained(self) -> None:
        full = self._explain() if self._explain else None
        self._explain = None
        self._reasons = list(full.reasons) if full else []
        self._facts = dict(full.facts) if full else {}

    @property
    def reasons(self) -> list[str]:
        if self._reasons is None:
            self._explained()
        return self._reasons  # type: ignore[return-value]

    @property
    def facts(self) -> dict:
        if self._facts is None:
            self._explained()
        return self._facts  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Match(score={self.score}, service={self.service!r}, need={self.need!r})"


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


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    """What scoring reads from a service, computed once per call (sets for fast lookups, the
    parts that do not depend on the need already in points)."""

    id: int
    sectors: frozenset
    stems: frozenset
    capacities: frozenset
    departments: frozenset
    categories: frozenset
    for_departments: bool
    nationwide: bool
    modalities: frozenset  # the need modalities this service fits
    yearly: int  # points for the yearly capacity left
    valid_from: date | None
    valid_until: date | None


@functools.lru_cache(maxsize=4096)
def _document_stems(document: str) -> frozenset:
    """The stems of a service's search document (a pure function of the text, so remembered:
    the catalogue changes seldom and a thousand documents cost 60 ms to split)."""
    return frozenset(_stem(w) for w in _WORD.findall(document))


def _service_facts(service: Service | SimpleNamespace, sectors, departments) -> ServiceFacts:
    used = getattr(service, "events_this_year", 0) or 0
    if service.yearly_capacity is None:
        yearly = _half(WEIGHTS["yearly"])
    else:
        yearly = WEIGHTS["yearly"] * (service.yearly_capacity > used)
    modalities = (frozenset(Modality.values) if service.modality == Modality.MIXED
                  else frozenset((service.modality, Modality.MIXED)))
    return ServiceFacts(
        id=service.pk,
        sectors=frozenset(sectors),
        stems=_document_stems(service.search_document),
        capacities=frozenset(service.capacities),
        departments=frozenset(departments),
        categories=frozenset(service.municipal_categories),
        for_departments=not service.audience or "departamentos" in service.audience,
        nationwide=bool(service.nationwide),
        modalities=modalities,
        yearly=yearly,
        valid_from=service.valid_from,
        valid_until=service.valid_until,
    )


def facts(service: Service) -> ServiceFacts:
    cached = getattr(service, "_match_facts", None)
    if cached is None:
        cached = service._match_facts = _service_facts(
            service, (s.pk for s in service.sectors.all()), (d.pk for d in service.departments.all()))
    return cached


@dataclass(frozen=True, slots=True)
class NeedFacts:
    """What scoring reads from a need, as plain values."""

    sector: str | None
    stems: tuple
    capacity: str
    department: str
    modality: str
    municipal: bool
    category: str
    windowed: bool
    window_start: date | None
    window_end: date | None
    service_id: int | None


def need_facts(need: Need) -> NeedFacts:
    return NeedFacts(
        sector=need.sector_id, stems=tuple(_stem(w) for w in _need_words(need)), capacity=need.capacity,
        department=need.department_id, modality=need.modality, municipal=need.municipality_id is not None,
        category=need.municipality.category if need.municipality is not None else "",
        windowed=bool(need.window_start or need.window_end), window_start=need.window_start,
        window_end=need.window_end, service_id=need.service_id,
    )


# --- Loading --------------------------------------------------------------------------------

def _services(*, user: User, only: QuerySet | None = None) -> list[Service]:
    """Published services with what scoring reads, in 4 queries whatever their number: the
    services (with their organisation), their sectors, their departments and their events this
    year. The links are read as plain pairs: `prefetch_related` costs a queryset per service,
    a second for a thousand services."""
    qs = (only if only is not None else Service.objects.all()).filter(status=Service.Status.PUBLISHED)
    services = list(qs.select_related("organization").defer("description", "requirements", "links"))
    sectors, departments, used = _links(qs.values("pk"))  # a subquery: a thousand bound ids cost more
    for service in services:
        service.events_this_year = used.get(service.pk, 0)
        service._match_facts = _service_facts(service, sectors.get(service.pk, ()), departments.get(service.pk, ()))
    return services


_FACT_FIELDS = ("id", "name", "search_document", "capacities", "municipal_categories", "audience", "nationwide",
                "modality", "yearly_capacity", "valid_from", "valid_until")


def _service_rows(*, user: User) -> dict[int, tuple[ServiceFacts, str, int]]:
    """The published services as {id: (facts, name, events this year)}, read as plain values in
    4 queries (no model instances: a thousand of them, with their organisation, cost 0.1 s);
    `_load_services` then reads the few shown as models."""
    qs = Service.objects.filter(status=Service.Status.PUBLISHED)
    sectors, departments, used = _links(qs.values("pk"))
    out = {}
    for row in qs.values_list(*_FACT_FIELDS):
        service = SimpleNamespace(**dict(zip(_FACT_FIELDS, row, strict=True)))
        service.pk = service.id
        service.events_this_year = used.get(service.id, 0)
        out[service.id] = (_service_facts(service, sectors.get(service.id, ()), departments.get(service.id, ())),
                           service.name, service.events_this_year)
    return out


def _load_services(rows: dict[int, tuple[ServiceFacts, str, int]], ids: set[int]) -> dict[int, Service]:
    """The services `ids` as models with their organisation (one query; none for no ids), their
    facts and events this year taken from `rows`, ready for `score()`."""
    if not ids:
        return {}
    services = Service.objects.filter(pk__in=ids).select_related("organization").defer(
        "description", "requirements", "links")
    out = {}
    for service in services:
        service._match_facts, _name, service.events_this_year = rows[service.pk]
        out[service.pk] = service
    return out


def _links(ids: QuerySet) -> tuple[dict[int, set], dict[int, set], dict[int, int]]:
    """Sectors, departments and events this year of the services `ids`, in 3 queries."""
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
    return sectors, departments, used


COMMON_SHARE = 0.1  # a word in more than this share of the services says nothing about a topic


def _drop_common_words(needs: list[Need], services: list[ServiceFacts]) -> None:
    """Keep, of each need's topic words, those found in at most COMMON_SHARE of the services
    (like an IDF cut): "territorial" or "gestion" would relate a need to the whole catalogue."""
    if len(services) < 20:
        return
    counts: dict[str, int] = {}
    for f in services:
        for stem in f.stems:
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
    keys, groups = _rank_groups(needs, service_ids, same_sector)
    return {(need_id, service_id): rank for need_id, key in keys.items() for service_id, rank in groups[key].items()}


def _rank_groups(needs: list[Need], service_ids: list[int] | None = None,
                 same_sector: bool = False) -> tuple[dict[int, int], list[dict[int, float]]]:
    """`topic_ranks` without repeating work: needs with the same topic words (and, with
    `same_sector`, the same sector) share one row of the query and one {service: rank} dict.
    Returns ({need id: group}, [{service id: rank} per group])."""
    if connection.vendor != "postgresql" or not needs:
        return {}, []
    keys: dict[int, int] = {}
    group_of: dict[tuple[str, str | None], int] = {}
    for need in needs:
        words = _need_words(need)
        if words:
            # only [a-z0-9ñ] words: no tsquery syntax can slip in
            key = (" | ".join(words), need.sector_id if same_sector else "")
            keys[need.pk] = group_of.setdefault(key, len(group_of))
    if not keys:
        return {}, []
    sector_join = ("JOIN offer_service_sectors ss ON ss.service_id = s.id AND ss.sector_id = q.sector "
                   if same_sector else "")
    sql = (
        "SELECT q.k, s.id, ts_rank(s.search_vector, q.query) "  # noqa: S608 - constant fragments only
        "FROM (SELECT k, c AS sector, to_tsquery('spanish', w) AS query "
        "      FROM unnest(%s::int[], %s::text[], %s::text[]) AS u(k, w, c)) q "
        "JOIN offer_service s ON s.search_vector @@ q.query "
        f"{sector_join}"
        "WHERE s.status = 'publicado'"
    )
    params: list = [list(group_of.values()), [w for w, _c in group_of], [c for _w, c in group_of]]
    if service_ids is not None:
        sql += " AND s.id = ANY(%s::int[])"
        params.append(service_ids)
    groups: list[dict[int, float]] = [{} for _ in group_of]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, service_id, rank in cursor.fetchall():
            groups[key][service_id] = float(rank)
    return keys, groups


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
        reasons.append(_("Fortalece la capacidad que se pide: %(c)s.") % {"c": _label_cased(Capacity, need.capacity)})
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
    return _points(need_facts(need), facts(service), rank)


def _points(n: NeedFacts, f: ServiceFacts, rank: float | None) -> int | None:
    """The hot loop of `points()`: plain values only, no model attribute."""
    same_sector = n.sector in f.sectors
    stems = f.stems
    common = 0
    for stem in n.stems:
        if stem in stems:
            common += 1
    asked_for = n.service_id == f.id
    if not (same_sector or common or rank or asked_for):
        return None
    if rank is not None:
        topic = round(TOPIC_WEIGHT * min(1.0, rank / RANK_FULL))
    else:
        topic = round(TOPIC_WEIGHT * min(1.0, common / 3))
    total = SECTOR_WEIGHT * same_sector + topic + f.yearly
    if n.capacity in f.capacities:
        total += CAPACITY_WEIGHT
    if f.nationwide or n.department in f.departments:
        total += COVERAGE_WEIGHT
    if n.modality in f.modalities:
        total += MODALITY_WEIGHT
    if not n.municipal:
        total += CATEGORY_WEIGHT * f.for_departments
    elif not f.categories:
        total += CATEGORY_WEIGHT
    elif not n.category:
        total += CATEGORY_WEIGHT // 2
    else:
        total += CATEGORY_WEIGHT * (n.category in f.categories)
    if not n.windowed:
        total += VALIDITY_WEIGHT // 2
    else:
        total += VALIDITY_WEIGHT * _overlaps(n.window_start, n.window_end, f.valid_from, f.valid_until)
    if asked_for:
        total += ASKED_FOR_BONUS
    return min(100, total)


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
                       % {"s": _label(Modality, service.modality), "n": _label(Modality, need.modality)})
        return WEIGHTS["modality"]
    reasons.append(_("La modalidad no coincide: el servicio es %(s)s y la solicitud pide %(n)s.")
                   % {"s": _label(Modality, service.modality), "n": _label(Modality, need.modality)})
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
    label = _label(MunicipalCategory, category)
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

    Queries: the need with its relations (1), the services as plain values with their links (4),
    on PostgreSQL the topic ranks (1), and the services shown as models (1). The caller has
    already checked that `user` may see `need`.
    """
    need = _needs(Need.objects.filter(pk=need.pk))[0]
    return matches_for_needs(user=user, needs=[need], limit=limit)[need.pk]


def matches_for_needs(*, user: User, needs: list[Need], limit: int = 3,
                      same_sector: bool = False) -> dict[int, list[Match]]:
    """The best `limit` services for each need of a list, in constant queries.

    Only candidates are scored (same sector, a topic word in common, or asked for; with
    `same_sector`, only the services of the need's sector and the one it asked for), with
    `_points()` on plain values; the reasons of the best `limit` of each need are written on
    first reading (`Match.reasons`), so a page that shows a few pays for those only.
    """
    rows = _service_rows(user=user)
    _drop_common_words(needs, [f for f, _name, _used in rows.values()])
    by_sector: dict[str, list[int]] = {}
    by_stem: dict[str, list[int]] = {}
    for pk, (f, _name, _used) in rows.items():
        for sector in f.sectors:
            by_sector.setdefault(sector, []).append(pk)
        for stem in f.stems:
            by_stem.setdefault(stem, []).append(pk)
    keys, groups = _rank_groups(needs, same_sector=same_sector)
    pg = connection.vendor == "postgresql"
    no_ranks: dict[int, float] = {}
    chosen: list[tuple[Need, list]] = []
    for need in needs:
        n = need_facts(need)
        key = keys.get(need.pk)
        need_ranks = groups[key] if key is not None else no_ranks
        candidates = set(by_sector.get(n.sector, ()))
        if not same_sector:
            for stem in n.stems:
                candidates.update(by_stem.get(stem, ()))
            candidates.update(pk for pk in need_ranks if pk in rows)
        if n.service_id in rows:
            candidates.add(n.service_id)
        scored = []
        for pk in candidates:
            f, name, _used = rows[pk]
            rank = need_ranks.get(pk, 0.0) if pg else None
            value = _points(n, f, rank)
            if value is not None:
                scored.append((-value, name, pk, rank))
        chosen.append((need, heapq.nsmallest(limit, scored) if limit else sorted(scored)))
    by_id = _load_services(rows, {pk for _need, best in chosen for _v, _n, pk, _r in best})
    return {need.pk: [Match(score=-value, service=by_id[pk], need=need,
                            explain=functools.partial(score, need, by_id[pk], rank=rank))
                      for value, _name, pk, rank in best if pk in by_id]
            for need, best in chosen}


def open_needs(*, user: User) -> QuerySet[Need]:
    """Needs waiting for the agenda (radicadas or in review) that `user` may see."""
    return Need.objects.filter(need_scope(user), status__in=OPEN_NEED_STATUSES)


DEPARTMENT_PAGE_SIZE = 50


@dataclass
class DepartmentPage:
    """One page of a department's open needs, each with its best services. Iterating gives the
    (need, matches) rows; `next_number` is the next page's number, None on the last page."""

    rows: list[tuple[Need, list[Match]]]
    number: int
    next_number: int | None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def matches_for_department(*, user: User, department: Department, limit: int = 3, page: int = 1,
                           page_size: int | None = DEPARTMENT_PAGE_SIZE) -> DepartmentPage:
    """The open needs of a department, oldest first, each with its best services of the same
    sector (or the one it asked for): the coordinator's overview.

    Paged, 50 needs a page: with 20,000 needs, 1,000 services and 5,000 events on PostgreSQL a
    page answers in about 100 ms, but a busy department's 1,500 open needs at once take about
    0.6 s — loading 1,500 needs with their territory is 0.2 s by itself — so a screen or API
    shows a page and offers the next (`next_number`). `page_size=None` returns every need in one
    page (exports, jobs). Queries: the needs of the page (one more is read to know whether a next
    page exists), the services (4) and on PostgreSQL the topic ranks (1), whatever the page.
    """
    number = max(1, page)
    needs_qs = open_needs(user=user).filter(department=department).order_by("submitted_at", "id")
    if page_size is None:
        needs, more = _needs(needs_qs), False
    else:
        start = (number - 1) * page_size
        needs = _needs(needs_qs[start:start + page_size + 1])
        more = len(needs) > page_size
        needs = needs[:page_size]
    best = matches_for_needs(user=user, needs=needs, limit=limit, same_sector=True) if needs else {}
    return DepartmentPage(rows=[(need, best[need.pk]) for need in needs], number=number,
                          next_number=number + 1 if more else None)


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
