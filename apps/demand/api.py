"""/api/v1/requests/: needs, scoped per object, with their workflow and thread.

- GET  /requests/?department=25&municipality=25290&sector=salud&capacity=&status=&priority=&age=30
- POST /requests/                      file a need (radicada; `"submit": false` keeps a draft)
- GET  /requests/{id}/                 detail with the actions the caller may take now
- POST /requests/{id}/transition/      {"action": "review", "reason": "…"}; illegal → 400 in Spanish
- GET|POST /requests/{id}/messages/    the conversation
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.core.api import Pagination, drf_error
from apps.core.validators import SingleLineSerializerMixin
from apps.core.vocabulary import Capacity, Modality
from apps.demand import selectors, services
from apps.demand.models import Need, NeedMessage, Priority, Status
from apps.demand.permissions import TransitionError, transitions_for
from apps.offer.models import Service
from apps.territory.models import Municipality, Sector


class NeedSerializer(serializers.ModelSerializer):
    status_display = serializers.SerializerMethodField()
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    department_name = serializers.CharField(source="department.display_name", read_only=True)
    municipality_name = serializers.CharField(source="municipality.display_name", read_only=True, default=None)
    sector_name = serializers.CharField(source="sector.name", read_only=True, default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Need
        fields = ["id", "url", "status", "status_display", "status_reason", "organization", "organization_name",
                  "department", "department_name", "municipality", "municipality_name", "sector", "sector_name",
                  "topic", "capacity", "problem", "expected_result", "plan_goal", "priority", "modality",
                  "window_start", "window_end", "participants", "service", "created_at", "submitted_at",
                  "status_changed_at"]
        read_only_fields = fields

    def get_url(self, need: Need) -> str:
        return need.get_absolute_url()

    def get_status_display(self, need: Need) -> str:
        return str(Status(need.status).label)  # get_status_display() rebuilds every choice per call


class NeedDetailSerializer(NeedSerializer):
    actions = serializers.SerializerMethodField()

    class Meta(NeedSerializer.Meta):
        fields = [*NeedSerializer.Meta.fields, "actions"]
        read_only_fields = fields

    def get_actions(self, need: Need) -> list[dict]:
        user = self.context["request"].user
        return [{"action": t.action, "label": str(t.label), "target": t.target, "needs_reason": t.needs_reason}
                for t in transitions_for(user, need)]


MULTILINE = {"base_template": "textarea.html"}


class NeedInputSerializer(SingleLineSerializerMixin, serializers.Serializer):
    # Only the topic is required for a draft (`"submit": false`); filing asks for the rest
    # (services.FILING_REQUIRED) and answers 400 naming each missing field.
    sector = serializers.SlugRelatedField(slug_field="slug", queryset=Sector.objects.all(), required=False,
                                          allow_null=True, default=None)
    topic = serializers.CharField(max_length=200)
    capacity = serializers.ChoiceField(choices=Capacity.choices, required=False, allow_blank=True, default="")
    problem = serializers.CharField(style=MULTILINE, required=False, allow_blank=True, default="")
    expected_result = serializers.CharField(style=MULTILINE, required=False, allow_blank=True, default="")
    plan_goal = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)
    modality = serializers.ChoiceField(choices=Modality.choices, default=Modality.MIXED)
    window_start = serializers.DateField(required=False, allow_null=True, default=None)
    window_end = serializers.DateField(required=False, allow_null=True, default=None)
    participants = serializers.IntegerField(min_value=1, max_value=32767, default=1)
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.filter(status=Service.Status.PUBLISHED), required=False, allow_null=True,
        default=None, help_text="Opcional: id de un servicio publicado del catálogo.",
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False, allow_null=True, default=None,
        help_text="Solo gobernaciones: código DIVIPOLA del municipio por el que radica.",
    )
    submit = serializers.BooleanField(default=True, help_text="false: guardar como borrador.")


@extend_schema_serializer(component_name="NeedTransitionInput")  # the agenda has its own TransitionInput
class TransitionInputSerializer(SingleLineSerializerMixin, serializers.Serializer):
    action = serializers.CharField(
        help_text="submit, review, unschedule, attend, close, reject, redirect (the detail's `actions` lists "
                  "those the caller may take now). A need becomes programada through the agenda "
                  "(POST /api/v1/agenda/events/ with `needs`), not here: `schedule` answers 400 "
                  "unless a jornada already includes the need.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", style=MULTILINE)


class MessageSerializer(SingleLineSerializerMixin, serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    body = serializers.CharField(max_length=5000, style=MULTILINE)

    class Meta:
        model = NeedMessage
        fields = ["id", "author_name", "body", "created_at"]
        read_only_fields = ["id", "author_name", "created_at"]

    def get_author_name(self, message: NeedMessage) -> str:
        return str(message.author) if message.author_id else ""


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, location=OpenApiParameter.HEADER, required=False,
    description="Opcional: una clave única por envío (por ejemplo un UUID), de 1 a 64 caracteres. Repetir la "
                "petición con la misma clave devuelve lo que creó la primera, sin crear nada más, con la cabecera "
                "Idempotent-Replayed: true.",
)


def _idempotency_key(request) -> str | None:
    """The request's Idempotency-Key header, checked; None when absent."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 64 or not (key.isascii() and key.isprintable()):
        raise ValidationError({"detail": _("La cabecera Idempotency-Key debe tener de 1 a 64 caracteres visibles "
                                           "(por ejemplo un UUID).")})
    return key


def _created(data, replayed: bool) -> Response:
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return Response(data, status=status.HTTP_201_CREATED, headers=headers)


class NeedPagination(Pagination):
    django_paginator_class = selectors.DeferredJoinPaginator


@extend_schema_view(
    list=extend_schema(summary="Solicitudes visibles para quien llama, con filtros"),
    retrieve=extend_schema(summary="Una solicitud, con las acciones que quien llama puede tomar"),
)
class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """Needs (solicitudes de asistencia técnica), each caller seeing only what it may:
    a municipality its own, a department its own and its municipalities', coordinators all."""

    serializer_class = NeedSerializer
    pagination_class = NeedPagination
    # NeedFilter is applied inside selectors.need_filter (list() below); declared here so the
    # OpenAPI schema lists the filters.
    filter_backends = [DjangoFilterBackend]
    filterset_class = selectors.NeedFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.need_list(user=self.request.user)

    def get_serializer_class(self):
        return NeedSerializer if self.action == "list" else NeedDetailSerializer

    def get_object(self) -> Need:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        filterset = selectors.need_filter(user=request.user, filters=request.query_params)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(NeedSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(summary="Radicar una solicitud (o guardarla como borrador)", request=NeedInputSerializer,
                   responses={201: NeedDetailSerializer})
    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    def create(self, request, *args, **kwargs):
        key = _idempotency_key(request)
        data_in = NeedInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = dict(data_in.validated_data)
        muni, submit = data.pop("municipality"), data.pop("submit")
        try:
            needs = services.need_file(user=request.user, data=data, municipalities=[muni] if muni else [],
                                       submit=submit, submission_key=key)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        need = self.get_object_for(needs[0].pk)
        return _created(NeedDetailSerializer(need, context={"request": request}).data, needs[0].replayed)

    def get_object_for(self, pk: int) -> Need:
        return selectors.need_get(user=self.request.user, pk=pk)

    @extend_schema(summary="Mover una solicitud en su flujo (revisar, programar, rechazar…)",
                   request=TransitionInputSerializer, responses={200: NeedDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        need = self.get_object()
        data_in = TransitionInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            services.need_transition(user=request.user, need=need, **data_in.validated_data)
        except (TransitionError, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        need = self.get_object_for(need.pk)
        return Response(NeedDetailSerializer(need, context={"request": request}).data)

    # The whole thread, unpaginated (as the schema says): a conversation is short.
    @extend_schema(summary="La conversación de una solicitud; POST agrega un mensaje", request=MessageSerializer,
                   responses={200: MessageSerializer(many=True), 201: MessageSerializer})
    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def messages(self, request, pk=None):
        need = self.get_object()
        if request.method == "GET":
            thread = need.messages.select_related("author")
            return Response(MessageSerializer(thread, many=True).data)
        key = _idempotency_key(request)
        data_in = MessageSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            message = services.need_message_add(user=request.user, need=need, body=data_in.validated_data["body"],
                                                submission_key=key)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        return _created(MessageSerializer(message).data, message.replayed)


def register(router) -> list:
    """Register viewsets on the shared router; return extra url patterns (or [])."""
    router.register("requests", NeedViewSet, basename="need")
    return []
