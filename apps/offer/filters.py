"""The catalogue's filters, shared by the HTML page, the API and the export."""

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, Q, QuerySet
from django.db.models.expressions import Col
from django.utils.translation import gettext_lazy as _

from apps.core.text import normalize
from apps.core.vocabulary import Capacity, Modality
from apps.offer.models import AssistanceType, Service

_VECTOR = SearchVectorField()
_VECTOR.set_attributes_from_name("search_vector")
_VECTOR.model = Service


class StoredSearchVector(Expression):
    """`offer_service.search_vector`: the column migration 0003 adds on PostgreSQL only.

    Equal to `SearchVector("search_document", config="spanish")`, computed once per write
    instead of once per row per search. Resolves to a real column reference, so table aliases
    stay right inside subqueries (the facet counts).
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return Col(query.get_initial_alias(), _VECTOR, output_field=SearchVectorField())


SEARCH_MAX_CHARS = 200
# An organisation id the database can hold: a larger one crashed SQLite (OverflowError) instead of
# finding nothing, since Django's out-of-range guard does not cover foreign keys.
MAX_ID = 2**63 - 1


def service_search(qs: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Full-text search in Spanish.

    PostgreSQL: the 'spanish' tsvector of the accent-free `search_document` (stemming, so
    "acueducto" finds "acueductos"), GIN-indexed and ranked. Elsewhere (SQLite): every typed
    word must appear in the normalised document.
    """
    words = normalize(text)
    if len(words) > SEARCH_MAX_CHARS:  # SQLite refuses LIKE patterns over 50 KB; no one types this much
        words = words[:SEARCH_MAX_CHARS].rsplit(" ", 1)[0]
    if not words:
        return qs
    if connection.vendor == "postgresql":
        vector = StoredSearchVector()
        query = SearchQuery(words, config="spanish", search_type="websearch")
        return qs.alias(search=vector, rank=SearchRank(vector, query)).filter(search=query).order_by("-rank", "name")
    for word in words.split():
        qs = qs.filter(search_document__contains=word)
    return qs


def _sector_q(value: str) -> Q:
    return Q(pk__in=Service.sectors.through.objects.filter(sector_id=value).values("service_id"))


def _department_q(value: str) -> Q:
    # A subquery, not a join: a join would repeat services covering several departments.
    listed = Service.departments.through.objects.filter(department_id=value.strip().zfill(2)).values("service_id")
    return Q(nationwide=True) | Q(pk__in=listed)


# One condition per facet: the FilterSet filters with them, and the facet counts combine them
# (each facet counted under every *other* facet's condition).
FACET_Q = {
    "sector": _sector_q,
    "capacity": lambda v: Q(capacities__contains=f",{v},"),
    "modality": lambda v: Q(modality=v),
    "department": _department_q,
    "entity": lambda v: Q(organization_id=v),
    "type": lambda v: Q(assistance_type=v),
    "status": lambda v: Q(status=v),
}


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Buscar"))
    sector = django_filters.CharFilter(method="filter_facet", label=_("Sector (slug)"))
    capacity = django_filters.ChoiceFilter(choices=Capacity.choices, method="filter_facet", label=_("Capacidad"))
    modality = django_filters.ChoiceFilter(choices=Modality.choices, method="filter_facet", label=_("Modalidad"))
    department = django_filters.CharFilter(
        method="filter_facet", label=_("Departamento cubierto (código DIVIPOLA)")
    )
    entity = django_filters.NumberFilter(method="filter_facet", label=_("Entidad oferente (id de organización)"),
                                         min_value=1, max_value=MAX_ID)
    type = django_filters.ChoiceFilter(
        choices=AssistanceType.choices, method="filter_facet", label=_("Tipo de asistencia")
    )
    status = django_filters.ChoiceFilter(choices=Service.Status.choices, method="filter_facet", label=_("Estado"))

    FACETS = tuple(FACET_Q)

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return service_search(qs, value)

    def filter_facet(self, qs, name, value):
        return qs.filter(FACET_Q[name](value))

    def conditions(self) -> dict[str, Q]:
        """The valid facet filters of this request as Q objects (invalid values are ignored)."""
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return {name: FACET_Q[name](data[name]) for name in FACET_Q if data.get(name) not in (None, "")}
