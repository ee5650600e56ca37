"""/api/v1/knowledge/commitments/: the commitments the caller may see, recording, and progress.

- GET  /knowledge/commitments/ (filters: status, responsible, department, municipality, due,
  workshop, event, q); GET /knowledge/commitments/{id}/ with its progress notes
- POST /knowledge/commitments/ {"text", "responsible", "responsible_text", "due_on", "event",
  "municipality", "department", "note"}
- POST /knowledge/commitments/{id}/status/ {"status", "note", "due_on"}

Read through the selectors (another territory's commitment answers 404), written through the
services; refusals answer 400 (403 for a forbidden write) in Spanish.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.models import Organization
from apps.core.api import drf_error
from apps.knowledge import selectors, services
from apps.knowledge.models import Commitment, CommitmentStatus
from apps.knowledge.permissions_commitments import STATUS_MOVES, can_update
from apps.territory.models import Department, Municipality


class ProgressSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.SerializerMethodField()

    def get_actor(self, progress) -> str | None:
        return str(progress.actor) if progress.actor_id else None


class CommitmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    status_display = serializers.SerializerMethodField()
    responsible_name = serializers.SerializerMethodField()
    workshop = serializers.CharField(source="workshop.slug", default=None, read_only=True)
    last_note = serializers.CharField(read_only=True, default="")

    class Meta:
        model = Commitment
        fields = ["id", "url", "text", "status", "status_display", "due_on", "responsible", "responsible_name",
                  "responsible_text", "municipality", "department", "workshop", "event", "last_note",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def get_url(self, c: Commitment) -> str:
        return c.get_absolute_url()

    def get_status_display(self, c: Commitment) -> str:
        return str(CommitmentStatus(c.status).label)

    def get_responsible_name(self, c: Commitment) -> str:
        return c.responsible.name if c.responsible_id else c.responsible_text


class CommitmentDetailSerializer(CommitmentSerializer):
    progress = ProgressSerializer(many=True, read_only=True)
    can_update = serializers.SerializerMethodField()
    allowed_statuses = serializers.SerializerMethodField()

    class Meta(CommitmentSerializer.Meta):
        fields = [*CommitmentSerializer.Meta.fields, "progress", "can_update", "allowed_statuses"]
        read_only_fields = fields

    def get_can_update(self, c: Commitment) -> bool:
        return can_update(self.context["request"].user, c)

    def get_allowed_statuses(self, c: Commitment) -> list[str]:
        if not can_update(self.context["request"].user, c):
            return []
        return sorted({c.status, *STATUS_MOVES.get(c.status, ())})


class CommitmentInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    responsible = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False,
                                                     allow_null=True, default=None,
                                                     help_text="Id de la organización responsable.")
    responsible_text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    event = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                     max_value=2**63 - 1, help_text="Id de la jornada realizada.")
    municipality = serializers.SlugRelatedField(slug_field="code", queryset=Municipality.objects.all(),
                                                required=False, allow_null=True, default=None)
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all(),
                                              required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class StatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
    note = serializers.CharField(max_length=4000, help_text="Obligatoria: qué se hizo o por qué cambia.")
    due_on = serializers.DateField(required=False, allow_null=True, default=None,
                                   help_text="Nueva fecha límite (opcional).")


@extend_schema_view(
    list=extend_schema(summary="Compromisos visibles para quien llama, con filtros"),
    retrieve=extend_schema(summary="Un compromiso con sus notas de avance"),
    create=extend_schema(summary="Registrar un compromiso"),
    status=extend_schema(summary="Cambiar el estado de un compromiso o registrar un avance (con nota)"),
)
class CommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """Commitments: those of the workshops for everyone; a territory's or a jornada's for the
    territory, the responsible organisation and coordinators."""

    serializer_class = CommitmentSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.commitment_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        return CommitmentSerializer if self.action == "list" else CommitmentDetailSerializer

    def get_object(self) -> Commitment:
        return selectors.commitment_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[
        OpenApiParameter(name, OpenApiTypes.STR, required=False, description=str(f.label))
        for name, f in selectors.CommitmentFilter.base_filters.items()])
    def list(self, request, *args, **kwargs):
        filterset = selectors.commitment_filter(user=request.user, filters=request.query_params)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return super().list(request, *args, **kwargs)

    def _detail(self, pk: int, code: int = http_status.HTTP_200_OK) -> Response:
        commitment = selectors.commitment_get(user=self.request.user, pk=pk)
        return Response(CommitmentDetailSerializer(commitment, context={"request": self.request}).data, status=code)

    @extend_schema(request=CommitmentInputSerializer, responses={201: CommitmentDetailSerializer})
    def create(self, request, *args, **kwargs):
        from apps.agenda import selectors as agenda_selectors

        data_in = CommitmentInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = dict(data_in.validated_data)
        if data["event"] is not None:
            event = agenda_selectors.event_base(user=request.user).filter(pk=data["event"]).first()
            if event is None:
                raise ValidationError({"event": "Esa jornada no existe."})
            data["event"] = event
        try:
            commitment = services.commitment_create(user=request.user, **data)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        return self._detail(commitment.pk, http_status.HTTP_201_CREATED)

    @extend_schema(request=StatusInputSerializer, responses={200: CommitmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        commitment = self.get_object()
        data_in = StatusInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            services.commitment_update_status(user=request.user, commitment=commitment, **data_in.validated_data)
        except services.Unchanged:
            pass  # the same note sent twice: answered as the first time
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        return self._detail(commitment.pk)


def register(router) -> list:
    router.register("knowledge/commitments", CommitmentViewSet, basename="knowledge-commitment")
    return []
