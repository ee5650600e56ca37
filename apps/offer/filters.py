"""The catalogue's filters, shared by the HTML page, the API and the export."""

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, Q, QuerySet
from django.db.models.expressions import Col
from django.utils.translation import gettext_lazy as _

from apps.core.text import normalize
from apps.offer.models import AssistanceType, Capacity, Modality, Service

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


def service_search(qs: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Full-text search in Spanish.

    PostgreSQL: the 'spanish' tsvector of the accent-free `search_document` (stemming, so
    "acueducto" finds "acueductos"), GIN-indexed and ranked. Elsewhere (SQLite): every typed
    word must appear in the normalised document.
    """
    words = normalize(text)
    if not words:
        return qs
    if connection.vendor == "postgresql":
        vector = StoredSearchVector()
        query = SearchQuery(words, config="spanish", search_type="websearch")
        return qs.alias(search=vector, rank=SearchRank(vector, query)).filter(search=query).order_by("-rank", "name")
    for word in words.split():
        qs = qs.filter(search_document__contains=word)
    return qs


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Buscar"))
    sector = django_filters.CharFilter(method="filter_sector", label=_("Sector (slug)"))
    capacity = django_filters.ChoiceFilter(choices=Capacity.choices, method="filter_capacity", label=_("Capacidad"))
    modality = django_filters.ChoiceFilter(choices=Modality.choices, label=_("Modalidad"))
    department = django_filters.CharFilter(
        method="filter_department", label=_("Departamento cubierto (código DIVIPOLA)")
    )
    entity = django_filters.NumberFilter(field_name="organization_id", label=_("Entidad oferente (id de organización)"))
    type = django_filters.ChoiceFilter(
        field_name="assistance_type", choices=AssistanceType.choices, label=_("Tipo de asistencia")
    )
    status = django_filters.ChoiceFilter(choices=Service.Status.choices, label=_("Estado"))

    FACETS = ("sector", "capacity", "modality", "department", "entity", "type", "status")

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return service_search(qs, value)

    def filter_sector(self, qs, name, value):
        return qs.filter(sectors__slug=value)

    def filter_capacity(self, qs, name, value):
        return qs.filter(capacities__contains=f",{value},")

    def filter_department(self, qs, name, value):
        code = value.strip().zfill(2)
        # A subquery, not a join: a join would repeat services covering several departments.
        listed = Service.departments.through.objects.filter(department_id=code).values("service_id")
        return qs.filter(Q(nationwide=True) | Q(pk__in=listed))
