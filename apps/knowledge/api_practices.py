"""/api/v1/knowledge/: practices and lessons, guidelines with their versions, and the one search.

- GET /knowledge/practices/?kind=&sector=&capacity=&department=&q=   and /knowledge/practices/{id}/;
  POST to share one (the caller's organisation and, for a territory, its own territory), PATCH to
  change one the caller may edit (403; 404 when not even visible)
- GET /knowledge/guidelines/?kind=&sector=&capacity=&category=&q=    and /knowledge/guidelines/{id}/
  (each with its versions, newest first, and the URL that downloads each file)
- GET /knowledge/search/?q=&kind=&sector=&department=&municipality=  hits and counts per kind

Reads are public: every object is read through the selectors (an unpublished one exists only for
its owners and coordinators; anyone else gets 404). Writing goes through the services; guideline
files are uploaded on the pages.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response

from apps.core.api import drf_error
from apps.core.validators import SingleLineSerializerMixin
from apps.core.vocabulary import Capacity
from apps.knowledge import search as knowledge_search
from apps.knowledge import selectors_practices as selectors
from apps.knowledge import services_practices as services
from apps.knowledge.models import Guideline, GuidelineVersion, Practice
from apps.territory.models import Department, Municipality, Sector


class PracticeSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    sector = serializers.CharField(source="sector_id", allow_null=True, read_only=True)
    sector_name = serializers.CharField(source="sector.name", default=None, read_only=True)
    organization = serializers.CharField(source="organization.name", default=None, read_only=True)
    municipality = serializers.CharField(source="municipality_id", allow_null=True, read_only=True)
    municipality_name = serializers.CharField(source="municipality.display_name", default=None, read_only=True)
    department = serializers.CharField(source="department_id", allow_null=True, read_only=True)
    department_name = serializers.CharField(source="department.display_name", default=None, read_only=True)

    class Meta:
        model = Practice
        fields = ["id", "url", "kind", "kind_display", "title", "what", "result", "evidence", "evidence_url",
                  "sector", "sector_name", "capacity", "topics", "organization", "municipality",
                  "municipality_name", "department", "department_name", "contact_name", "contact_email",
                  "contact_phone", "published", "created_at", "updated_at"]
        read_only_fields = fields


class GuidelineVersionSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = GuidelineVersion
        fields = ["number", "file_name", "content_type", "size", "sha256", "notes", "created_at", "file_url"]
        read_only_fields = fields

    def get_file_url(self, version: GuidelineVersion) -> str:
        path = reverse("knowledge:guideline_file", args=[version.guideline_id, version.number])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class GuidelineSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    sectors = serializers.SerializerMethodField()
    versions = GuidelineVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Guideline
        fields = ["id", "url", "kind", "kind_display", "title", "summary", "organization", "sectors", "capacities",
                  "categories", "published", "versions", "created_at", "updated_at"]
        read_only_fields = fields

    def get_sectors(self, guideline: Guideline) -> list[str]:
        return [s.slug for s in guideline.sectors.all()]


class PracticeInputSerializer(SingleLineSerializerMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Practice.Kind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    what = serializers.CharField(required=False, style={"base_template": "textarea.html"})
    result = serializers.CharField(required=False, allow_blank=True, style={"base_template": "textarea.html"})
    evidence = serializers.CharField(required=False, allow_blank=True, style={"base_template": "textarea.html"})
    evidence_url = serializers.URLField(required=False, allow_blank=True)
    sector = serializers.SlugRelatedField(slug_field="slug", queryset=Sector.objects.all(), required=False,
                                          allow_null=True)
    capacity = serializers.ChoiceField(choices=Capacity.choices, required=False, allow_blank=True)
    topics = serializers.CharField(max_length=300, required=False, allow_blank=True)
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False,
                                                      allow_null=True, help_text="Código DIVIPOLA")
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False,
                                                    allow_null=True, help_text="Código DIVIPOLA")
    needs = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False)
    events = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False)
    services = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                     required=False)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    published = serializers.BooleanField(required=False)

    def service_data(self) -> dict:
        """Ids as model instances; an unknown id is a 400 on its field, an invisible one the service's."""
        from apps.agenda.models import Event
        from apps.demand.models import Need
        from apps.offer.models import Service

        data = dict(self.validated_data)
        for name, model in (("needs", Need), ("events", Event), ("services", Service)):
            if name in data:
                ids = list(dict.fromkeys(data[name]))
                found = list(model.objects.filter(pk__in=ids))
                if missing := sorted(set(ids) - {o.pk for o in found}):
                    raise serializers.ValidationError({name: [f"No encontrados: {', '.join(map(str, missing))}."]})
                data[name] = found
        return data


class PracticesPermission(BasePermission):
    """Anyone reads; sharing or changing needs a signed-in person (objects are checked by the services)."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_authenticated)


def _params(*names: str) -> list[OpenApiParameter]:
    return [OpenApiParameter(name, OpenApiTypes.STR, required=False) for name in names]


@extend_schema_view(
    list=extend_schema(summary="Buenas prácticas y lecciones aprendidas visibles para quien llama",
                       parameters=_params("kind", "sector", "capacity", "department", "q")),
    retrieve=extend_schema(summary="Una buena práctica o lección aprendida"),
    create=extend_schema(summary="Compartir una buena práctica o lección", request=PracticeInputSerializer,
                         responses={201: PracticeSerializer}),
    partial_update=extend_schema(summary="Modificar una buena práctica", request=PracticeInputSerializer,
                                 responses={200: PracticeSerializer}),
)
class PracticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PracticeSerializer
    permission_classes = [PracticesPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = "[0-9]+"

    def _input(self, request) -> dict:
        data_in = PracticeInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        return data_in.service_data()

    def create(self, request):
        data = self._input(request)
        try:
            practice = services.practice_create(user=request.user, data=data)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        code = status.HTTP_200_OK if practice.replayed else status.HTTP_201_CREATED
        return Response(PracticeSerializer(selectors.practice_get(user=request.user, pk=practice.pk)).data,
                        status=code)

    def partial_update(self, request, pk=None):
        practice = selectors.practice_get(user=request.user, pk=pk)
        data = self._input(request)
        try:
            services.practice_update(user=request.user, practice=practice, data=data)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        return Response(PracticeSerializer(selectors.practice_get(user=request.user, pk=pk)).data)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.practice_list(user=self.request.user, kind=p.get("kind", ""), sector=p.get("sector", ""),
                                       capacity=p.get("capacity", ""), department=p.get("department", ""),
                                       q=p.get("q", ""))

    def get_object(self) -> Practice:
        return selectors.practice_get(user=self.request.user, pk=self.kwargs["pk"])


@extend_schema_view(
    list=extend_schema(summary="Orientaciones metodológicas, con sus versiones y archivos",
                       parameters=_params("kind", "sector", "capacity", "category", "q")),
    retrieve=extend_schema(summary="Una orientación metodológica, con sus versiones y archivos"),
)
class GuidelineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = GuidelineSerializer
    permission_classes = [AllowAny]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        p = self.request.query_params
        return selectors.guideline_list(user=self.request.user, kind=p.get("kind", ""), sector=p.get("sector", ""),
                                        capacity=p.get("capacity", ""), category=p.get("category", ""),
                                        q=p.get("q", ""))

    def get_object(self) -> Guideline:
        return selectors.guideline_get(user=self.request.user, pk=self.kwargs["pk"])


class HitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(knowledge_search.KINDS))
    kind_label = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    snippet_html = serializers.CharField(help_text="HTML escapado; solo <mark> marca las palabras halladas.")
    rank = serializers.FloatField()
    territory_label = serializers.CharField()


class SearchViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Buscar en servicios, prácticas, lecciones, orientaciones, talleres y compromisos",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Palabras a buscar"),
                    OpenApiParameter("kind", OpenApiTypes.STR, required=False,
                                     enum=list(knowledge_search.KINDS), description="Solo un tipo"),
                    *_params("sector", "department", "municipality")],
        responses={200: inline_serializer("KnowledgeSearch", {
            "query": serializers.CharField(), "total": serializers.IntegerField(),
            "counts": serializers.DictField(child=serializers.IntegerField()),
            "results": HitSerializer(many=True)})},
    )
    def list(self, request):
        p = request.query_params
        kind = p.get("kind", "")
        result = knowledge_search.knowledge_search_result(
            user=request.user, q=p.get("q", ""), kinds=[kind] if kind in knowledge_search.KINDS else None,
            sector=p.get("sector") or None, department=p.get("department") or None,
            municipality=p.get("municipality") or None, limit=50)
        return Response({
            "query": p.get("q", ""), "total": result.total, "counts": result.counts,
            "results": [{"kind": h.kind, "kind_label": h.kind_label, "title": h.title, "url": h.url,
                         "snippet_html": h.snippet_html, "rank": h.rank, "territory_label": h.territory_label}
                        for h in result.hits],
        })


def register(router) -> list:
    router.register("knowledge/practices", PracticeViewSet, basename="knowledge-practice")
    router.register("knowledge/guidelines", GuidelineViewSet, basename="knowledge-guideline")
    router.register("knowledge/search", SearchViewSet, basename="knowledge-search")
    return []
