"""/api/v1/offers/: list (filters as on the catalogue), detail, create, update, publish, archive.

Reads are public (published services; more for signed-in people, as on the pages). Writes need
a signed-in person of the owning organisation: another organisation's visible service answers
403, one they cannot see 404.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from apps.core.api import validation_detail
from apps.core.validators import SingleLineSerializerMixin
from apps.core.vocabulary import Capacity, MunicipalCategory
from apps.offer.filters import ServiceFilter
from apps.offer.models import SERVICE_FIELDS, AssistanceType, Audience, Service
from apps.offer.selectors import service_get, service_get_for_edit, service_list
from apps.offer.services import service_create, service_transition, service_update
from apps.territory.models import Department, Sector


class ServiceOutput(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    capacities = serializers.ListField(child=serializers.ChoiceField(Capacity.choices))
    audience = serializers.ListField(child=serializers.ChoiceField(Audience.choices))
    municipal_categories = serializers.ListField(child=serializers.ChoiceField(MunicipalCategory.choices))
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Service
        fields = ["id", "organization", "organization_name", "status", "published_at", "updated_at", "url",
                  *SERVICE_FIELDS]
        read_only_fields = fields


class ServiceInput(SingleLineSerializerMixin, serializers.ModelSerializer):
    """What an editor may send. `sectors` by slug and `departments` by DIVIPOLA code."""

    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Sector.objects.all())
    departments = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Department.objects.all(), required=False
    )
    capacities = serializers.ListField(child=serializers.ChoiceField(Capacity.choices), allow_empty=False)
    audience = serializers.ListField(child=serializers.ChoiceField(Audience.choices), allow_empty=False)
    municipal_categories = serializers.ListField(
        child=serializers.ChoiceField(MunicipalCategory.choices), required=False
    )
    assistance_type = serializers.ChoiceField(AssistanceType.choices)

    class Meta:
        model = Service
        fields = SERVICE_FIELDS


class OffersPermission(BasePermission):
    """Anyone reads; writing needs a signed-in person (objects are checked in the view)."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_authenticated)


@extend_schema_view(
    list=extend_schema(summary="Catálogo de servicios de ATT", parameters=[
        OpenApiParameter("q", str, description="Búsqueda de texto en español"),
    ]),
    retrieve=extend_schema(summary="Un servicio"),
    create=extend_schema(summary="Crear un servicio (borrador de la organización de quien llama)",
                         request=ServiceInput, responses={201: ServiceOutput}),
    partial_update=extend_schema(summary="Modificar un servicio propio", request=ServiceInput,
                                 responses=ServiceOutput),
    update=extend_schema(summary="Reemplazar los datos de un servicio propio", request=ServiceInput,
                         responses=ServiceOutput),
)
class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ServiceOutput
    permission_classes = [OffersPermission]
    filterset_class = ServiceFilter
    queryset = Service.objects.none()  # for the schema; real reads go through selectors
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        # The FilterSet is applied by the filter backend on top of the scoped, joined queryset.
        return service_list(user=self.request.user)

    def get_object(self):
        return service_get(user=self.request.user, pk=self.kwargs["pk"])

    def _for_edit(self) -> Service:
        try:
            return service_get_for_edit(user=self.request.user, pk=self.kwargs["pk"])
        except DjangoPermissionDenied:
            raise PermissionDenied(detail="Solo la organización dueña del servicio puede modificarlo.") from None

    def _save(self, serializer: ServiceInput, service: Service | None) -> Service:
        data = dict(serializer.validated_data)
        sectors = data.pop("sectors", None)
        departments = data.pop("departments", None)
        try:
            if service is None:
                return service_create(user=self.request.user, data=data, sectors=list(sectors or []),
                                      departments=list(departments or []))
            return service_update(user=self.request.user, service=service, data=data,
                                  sectors=None if sectors is None else list(sectors),
                                  departments=None if departments is None else list(departments))
        except DjangoPermissionDenied:
            raise PermissionDenied(detail="Su organización no puede publicar oferta.") from None
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(validation_detail(exc)) from None

    def create(self, request, *args, **kwargs):
        serializer = ServiceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = self._save(serializer, None)
        return Response(ServiceOutput(service_get(user=request.user, pk=service.pk)).data,
                        status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        service = self._for_edit()
        partial = kwargs.pop("partial", False)
        serializer = ServiceInput(service, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self._save(serializer, service)
        return Response(ServiceOutput(service_get(user=request.user, pk=service.pk)).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _move(self, status_to: str) -> Response:
        service = self._for_edit()
        try:
            service_transition(user=self.request.user, service=service, status=status_to)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(validation_detail(exc)) from None
        return Response(ServiceOutput(service_get(user=self.request.user, pk=service.pk)).data)

    @extend_schema(summary="Publicar un servicio propio", request=None, responses=ServiceOutput)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._move(Service.Status.PUBLISHED)

    @extend_schema(summary="Archivar un servicio propio", request=None, responses=ServiceOutput)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._move(Service.Status.ARCHIVED)


def register(router) -> list:
    """Register viewsets on the shared router; return extra url patterns (or [])."""
    router.register("offers", ServiceViewSet, basename="offer")
    return []
