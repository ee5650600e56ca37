"""One search across knowledge: services, practices, lessons, guidelines, workshops, commitments.

PostgreSQL: Spanish full-text search (the `spanish` configuration stems and drops accents, so
"planeacion" finds "Planeación" and "acueductos" finds "acueducto"), ranked with `ts_rank`, each
hit with a snippet from `ts_headline`. Services read the catalogue's stored, GIN-indexed
`search_vector`; practices and guidelines the columns migration 0003 adds the same way (accents
dropped before stemming); workshops and commitments (a few hundred rows at most, and other
helpers' tables) compute theirs per query.
SQLite: the catalogue's fallback, every typed word (its plural's singular stem) in the accent-free
text (`att_normalize`, a function this module registers on each SQLite connection), ranked by
words found in the title.

Snippets are escaped here: `ts_headline` marks the words between two private-use characters that
no one types, and `marked_html` escapes the whole text before turning only those into `<mark>`.

Constant queries: one per kind (its top hits and, through a window count, how many matched),
whatever the number of hits; counts per kind are always for every kind, so the page can offer
the others while one is chosen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import Case, Count, Expression, F, FloatField, Func, Q, QuerySet, TextField, Value, When, Window
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, Concat, Lower
from django.urls import NoReverseMatch
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from apps.core.text import normalize

MARK_START, MARK_STOP = "\ue000", "\ue001"
# PostgreSQL: accents dropped with translate() (immutable, so usable in generated columns; the same
# pairs as migration 0003): the Spanish stemmer alone reads "interventoría" and "interventoria" apart.
ACCENTED = "áéíóúüñàèìòùâêîôûäëïöç"
PLAIN = "aeiouunaeiouaeiouaeioc"
SQLITE_FUNCTION = "att_normalize"
MAX_QUERY_CHARS = 200
SNIPPET_WORDS = 30
_WORD = re.compile(r"\w+")


class Kind:
    SERVICE = "servicio"
    PRACTICE = "practica"
    LESSON = "leccion"
    GUIDELINE = "orientacion"
    WORKSHOP = "taller"
    COMMITMENT = "compromiso"


KIND_LABELS = {
    Kind.SERVICE: _("Servicios"), Kind.PRACTICE: _("Buenas prácticas"), Kind.LESSON: _("Lecciones aprendidas"),
    Kind.GUIDELINE: _("Orientaciones"), Kind.WORKSHOP: _("Talleres"), Kind.COMMITMENT: _("Compromisos"),
}
KIND_SINGULAR = {
    Kind.SERVICE: _("Servicio"), Kind.PRACTICE: _("Buena práctica"), Kind.LESSON: _("Lección aprendida"),
    Kind.GUIDELINE: _("Orientación"), Kind.WORKSHOP: _("Taller"), Kind.COMMITMENT: _("Compromiso"),
}
KINDS = tuple(KIND_LABELS)


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet_html: str
    rank: float
    territory_label: str

    @property
    def kind_label(self) -> str:
        return str(KIND_SINGULAR[self.kind])


@dataclass
class SearchResult:
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- The SQLite function -------------------------------------------------------------------------


def _normalize_sql(value):
    return normalize(value) if value is not None else None


def register_sqlite_function(sender=None, connection=None, **kwargs) -> None:
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _normalize_sql, deterministic=True)


def install() -> None:
    """Register `att_normalize` on every new SQLite connection, and on any already open."""
    from django.db import connections

    connection_created.connect(register_sqlite_function, dispatch_uid="knowledge.search")
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            register_sqlite_function(connection=conn)


class Normalized(Func):
    """SQLite only: lower case, no accents, single spaces (`apps.core.text.normalize`)."""

    function = SQLITE_FUNCTION
    output_field = TextField()


def text_of(*fields: str) -> Concat | Coalesce:
    """The fields joined by spaces, NULLs as empty text."""
    parts: list = []
    for name in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(Coalesce(F(name), Value(""), output_field=TextField()))
    return Concat(*parts, output_field=TextField()) if len(parts) > 1 else parts[0]


class StoredVector(Expression):
    """PostgreSQL: a `search_vector` column a migration adds (generated, GIN-indexed) and the
    model does not declare. Resolves to a column of the query's main table, so aliases stay right."""

    output_field = SearchVectorField()

    def __init__(self, model, column: str = "search_vector"):
        super().__init__(output_field=SearchVectorField())
        self.model, self.column = model, column

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        target = SearchVectorField()
        target.set_attributes_from_name(self.column)
        target.model = self.model
        return Col(query.get_initial_alias(), target, output_field=SearchVectorField())


# --- Text helpers ----------------------------------------------------------------------------------


def query_words(text: str) -> str:
    """The typed query, accent-free and bounded (no one types 200 characters into a search box)."""
    words = normalize(text)
    if len(words) > MAX_QUERY_CHARS:
        words = words[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return " ".join(_WORD.findall(words))


def light_stem(word: str) -> str:
    """SQLite: a Spanish plural's singular stem, so "acueductos veredales" finds "acueducto veredal"
    ("-es" after l, r, n, d, z, j; else a final "-s"). PostgreSQL stems with its dictionary."""
    if len(word) > 4 and word.endswith("es") and word[-3] in "lrndzj":
        return word[:-2]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


def marked_html(text: str) -> str:
    """Escape `text` and turn only the sentinel pairs into <mark>…</mark>, always balanced."""
    out: list[str] = []
    buffer: list[str] = []
    open_mark = False
    for char in text or "":
        if char == MARK_START:
            if not open_mark:
                out.append(str(escape("".join(buffer))))
                buffer = []
                out.append("<mark>")
                open_mark = True
        elif char == MARK_STOP:
            if open_mark:
                out.append(str(escape("".join(buffer))))
                buffer = []
                out.append("</mark>")
                open_mark = False
        else:
            buffer.append(char)
    out.append(str(escape("".join(buffer))))
    if open_mark:
        out.append("</mark>")
    return "".join(out)


def python_snippet(text: str, words: Iterable[str], size: int = SNIPPET_WORDS) -> str:
    """A window of `size` words around the first match, matches marked with the sentinels (SQLite)."""
    clean = (text or "").replace(MARK_START, "").replace(MARK_STOP, "")
    tokens = clean.split()
    wanted = [w for w in words if w]
    hits = [i for i, token in enumerate(tokens) if any(w in normalize(token) for w in wanted)]
    start = max(0, (hits[0] if hits else 0) - size // 3)
    window = tokens[start:start + size]
    marked = [f"{MARK_START}{t}{MARK_STOP}" if start + i in hits else t for i, t in enumerate(window)]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + size < len(tokens) else ""
    return prefix + " ".join(marked) + suffix


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- Sources: one per kind -------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    kind: str
    base: Callable  # (user) -> QuerySet of visible rows, with the joins the hit needs
    title: str
    fields: tuple[str, ...]  # searched, title first
    body: tuple[str, ...]  # the snippet's text
    stored: object = None  # the model whose `search_vector` column exists on PostgreSQL
    sector: Callable[[str], Q] | None = None
    territory: Callable[[str, str], Q] | None = None  # (department code, municipality code) -> Q
    label: Callable = str  # territory label of a row
    postgres_stored: Callable | None = None  # a custom stored-vector expression (services)
    sqlite_search: Callable | None = None  # (qs, text) -> qs, when the model stores its own document


def _url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:  # a page another helper has not published yet
        return ""


def _place(obj, fallback: str = "") -> str:
    if getattr(obj, "municipality_id", None):
        return f"{obj.municipality.display_name} ({obj.municipality.department.display_name})"
    if getattr(obj, "department_id", None):
        return obj.department.display_name
    return fallback


def _territory_q(department: str, municipality: str) -> Q:
    if municipality:
        return Q(municipality_id=municipality)
    return Q(department_id=department) | Q(municipality__department_id=department)


def _sources() -> dict[str, Source]:
    # Imported here: the app registry is not ready when apps.py imports this module.
    from apps.knowledge import selectors_practices as practices
    from apps.knowledge.models import Guideline, Practice
    from apps.offer.filters import StoredSearchVector, _department_q, _sector_q, service_search
    from apps.offer.selectors import service_base
    from apps.territory.models import Municipality

    def service_territory(department: str, municipality: str) -> Q:
        if municipality:
            codes = Municipality.objects.filter(code=municipality).values_list("department_id", flat=True)
            department = next(iter(codes), "") or "--"
        return _department_q(department)

    def service_label(service) -> str:
        if service.nationwide:
            return str(_("Todo el país"))
        return ", ".join(d.display_name for d in service.departments.all())

    def practices_of(kind: str):
        return lambda user: practices.practice_base(user=user).filter(kind=kind)

    practice_common: dict[str, Any] = {
        "title": "title", "fields": ("title", "topics", "what", "result", "evidence"), "body": ("what", "result"),
        "stored": Practice, "sector": lambda slug: Q(sector_id=slug), "territory": _territory_q,
        "label": lambda p: _place(p, p.organization.name if p.organization_id else ""),
    }
    return {
        Kind.SERVICE: Source(
            Kind.SERVICE, lambda user: service_base(user=user).select_related("organization")
            .prefetch_related("departments"), "name", ("name", "summary", "description", "topics"),
            ("summary", "description"), sector=_sector_q, territory=service_territory, label=service_label,
            postgres_stored=StoredSearchVector, sqlite_search=service_search),
        Kind.PRACTICE: Source(Kind.PRACTICE, practices_of(Practice.Kind.PRACTICE), **practice_common),
        Kind.LESSON: Source(Kind.LESSON, practices_of(Practice.Kind.LESSON), **practice_common),
        Kind.GUIDELINE: Source(
            Kind.GUIDELINE, lambda user: practices.guideline_base(user=user).select_related("organization"),
            "title", ("title", "summary"), ("summary",), stored=Guideline,
            sector=lambda slug: Q(pk__in=Guideline.sectors.through.objects.filter(sector_id=slug)
                                  .values("guideline_id")),
            label=lambda g: g.organization.name),
        Kind.WORKSHOP: Source(
            Kind.WORKSHOP, _workshop_base, "title",
            ("title", "objective", "central_problem", "summary", "organizers", "participants", "place"),
            ("objective", "central_problem", "summary"), territory=_territory_q,
            label=lambda w: _place(w, w.place)),
        Kind.COMMITMENT: Source(
            Kind.COMMITMENT, _commitment_base, "text", ("text", "responsible_text"), ("text",),
            territory=_territory_q,
            label=lambda c: _place(c, c.responsible.name if c.responsible_id else c.responsible_text)),
    }


def _workshop_base(user) -> QuerySet:
    """Workshops are public reference (their pages are public)."""
    from apps.knowledge.models import Workshop

    return Workshop.objects.select_related("municipality__department", "department")


def _commitment_base(user) -> QuerySet:
    """Commitments as their own rule says (apps/knowledge/permissions_commitments.py)."""
    from apps.knowledge.models import Commitment
    from apps.knowledge.permissions_commitments import commitment_visible_q

    return Commitment.objects.filter(commitment_visible_q(user)).select_related(
        "responsible", "municipality__department", "department")


# --- The search --------------------------------------------------------------------------------


def accent_free(expression) -> Func:
    """PostgreSQL: lower case without accents, as the stored vectors are built."""
    return Func(Lower(expression), Value(ACCENTED), Value(PLAIN), function="translate", output_field=TextField())


def _vector(source: Source):
    if source.postgres_stored is not None:
        return source.postgres_stored()
    if source.stored is not None:
        return StoredVector(source.stored)
    return SearchVector(accent_free(text_of(*source.fields)), config="spanish")


def _search_postgresql(qs: QuerySet, source: Source, words: str, limit: int) -> list:
    query = SearchQuery(words, config="spanish", search_type="websearch")
    vector = _vector(source)
    headline = SearchHeadline(text_of(*source.body), query, config="spanish", start_sel=MARK_START,
                              stop_sel=MARK_STOP, max_words=SNIPPET_WORDS, min_words=12, max_fragments=2,
                              fragment_delimiter=" … ")
    rows = (qs.alias(search=vector).filter(search=query)
            .annotate(rank=SearchRank(vector, query), snippet=headline, total=Window(Count("pk")))
            .order_by("-rank", "pk")[:limit])
    return list(rows)


def _search_sqlite(qs: QuerySet, source: Source, words: str, limit: int) -> list:
    terms = [light_stem(w) for w in words.split()]
    if source.sqlite_search is not None:
        qs = source.sqlite_search(qs, " ".join(terms))
    else:
        qs = qs.alias(document=Normalized(text_of(*source.fields)))
        for term in terms:
            qs = qs.filter(document__contains=term)
    title = Normalized(F(source.title))
    rank = sum((Case(When(**{"ntitle__contains": t}, then=Value(1.0)), default=Value(0.0),
                     output_field=FloatField()) for t in terms), Value(0.1, output_field=FloatField()))
    rows = list(qs.alias(ntitle=title).annotate(rank=rank, total=Window(Count("pk")))
                .order_by("-rank", "pk")[:limit])
    for row in rows:
        body = " ".join(str(getattr(row, name) or "") for name in source.body)
        row.snippet = python_snippet(body, terms)
    return rows


def knowledge_search_result(*, user, q: str, kinds: Iterable[str] | None = None, sector: str | None = None,
                            department: str | None = None, municipality: str | None = None,
                            limit: int = 20) -> SearchResult:
    """Hits of the chosen `kinds` (all when None), best first, and the count of matches of every
    kind under the same query and filters. `sector` is a slug; `department` / `municipality`
    DIVIPOLA codes (a kind with no sector or no territory is left out when those are filtered)."""
    words = query_words(q)
    result = SearchResult(counts=dict.fromkeys(KINDS, 0))
    if not words:
        return result
    chosen = set(kinds or KINDS)
    search = _search_postgresql if is_postgresql() else _search_sqlite
    for kind, source in _sources().items():
        if (sector and source.sector is None) or ((department or municipality) and source.territory is None):
            continue
        qs = source.base(user)
        if sector and source.sector is not None:
            qs = qs.filter(source.sector(sector))
        if (department or municipality) and source.territory is not None:
            qs = qs.filter(source.territory(department or "", municipality or ""))
        rows = search(qs, source, words, limit)
        result.counts[kind] = rows[0].total if rows else 0
        if kind not in chosen:
            continue
        result.hits += [Hit(kind=kind, title=getattr(row, source.title), url=_url(row),
                            snippet_html=marked_html(row.snippet), rank=float(row.rank),
                            territory_label=source.label(row)) for row in rows]
    result.hits.sort(key=lambda h: -h.rank)
    result.hits = result.hits[:limit]
    return result


def knowledge_search(*, user, q: str, kinds: Iterable[str] | None = None, sector: str | None = None,
                     department: str | None = None, municipality: str | None = None, limit: int = 20) -> list[Hit]:
    """The hits of `knowledge_search_result` (the agreed interface)."""
    return knowledge_search_result(user=user, q=q, kinds=kinds, sector=sector, department=department,
                                   municipality=municipality, limit=limit).hits
