"""Public, read-only reference data API."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from apps.territory.models import Department, Municipality, NationalEntity, Sector
from apps.territory.selectors import department_list, municipality_match


class DepartmentSerializer(serializers.ModelSerializer):
    municipality_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "display_name", "capital_code", "municipality_count"]


class MunicipalitySerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.display_name", read_only=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "display_name", "department", "department_name", "entity_type",
                  "is_department_capital"]


class NationalEntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalEntity
        fields = ["id", "name", "acronym", "kind", "administrative_sector"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name"]


class MunicipalityFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(method="filter_department", label="Código DIVIPOLA del departamento")
    q = django_filters.CharFilter(method="filter_q", label="Nombre o código (sin tildes)")
    entity_type = django_filters.ChoiceFilter(choices=Municipality.EntityType.choices)

    class Meta:
        model = Municipality
        fields = ["department", "entity_type", "is_department_capital"]

    def filter_department(self, qs, name, value):
        return qs.filter(department_id=value.zfill(2))

    def filter_q(self, qs, name, value):
        return qs.filter(municipality_match(value))


class PublicReadOnly(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]


def _summaries(plural: str, singular: str):
    return extend_schema_view(list=extend_schema(summary=plural), retrieve=extend_schema(summary=singular))


@_summaries("Departamentos (DIVIPOLA)", "Un departamento por su código DIVIPOLA")
class DepartmentViewSet(PublicReadOnly):
    """The 33 DIVIPOLA departments (Bogotá D.C. included). Fuente: DANE – DIVIPOLA."""

    queryset = department_list().order_by("code")
    serializer_class = DepartmentSerializer
    lookup_field = "code"
    lookup_value_regex = "[0-9]{2}"


@_summaries("Municipios y áreas no municipalizadas (DIVIPOLA)", "Un municipio por su código DIVIPOLA")
class MunicipalityViewSet(PublicReadOnly):
    """The 1,122 DIVIPOLA municipalities and non-municipalised areas. Fuente: DANE – DIVIPOLA."""

    queryset = Municipality.objects.select_related("department").order_by("code")
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    lookup_field = "code"
    lookup_value_regex = "[0-9]{5}"


@_summaries("Entidades nacionales", "Una entidad nacional")
class NationalEntityViewSet(PublicReadOnly):
    queryset = NationalEntity.objects.all()
    serializer_class = NationalEntitySerializer
    filterset_fields = ["kind", "administrative_sector", "acronym"]
    lookup_value_regex = "[0-9]+"


@_summaries("Sectores", "Un sector por su slug")
class SectorViewSet(PublicReadOnly):
    queryset = Sector.objects.order_by("name")
    serializer_class = SectorSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-z0-9]+"
