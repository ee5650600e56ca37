"""/api/v1/agenda/: matches, events with their workflow, conflicts, the organisation's feed.

- GET  /agenda/matches/?need=<id> | ?service=<id>   ranked suggestions with `score` and `reasons`
- GET|POST /agenda/events/ (filters: department, municipality, organization, sector, kind, status,
  need, service, from, to); GET|PATCH /agenda/events/{id}/
- POST /agenda/events/{id}/transition/  {"action": "confirm"|"complete"|"cancel"|"reschedule", "reason",
  "starts_at", "ends_at", "confirm_non_working_day"}
- GET  /agenda/conflicts/?department=&from=&to=   groups of events sharing a territory in the window
- POST /agenda/conflicts/merge/  {"events": [ids], "title"}
- GET  /agenda/feed/   the signed-in person's organisation's private iCalendar URL

Every object is read through the selectors (another organisation's event answers 404) and every
write through the services; refusals answer 400 (403 for a forbidden write) in Spanish.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.models import Organization
from apps.agenda import matching, selectors, services
from apps.agenda.models import Event, Kind, Status
from apps.agenda.permissions import TransitionError, can_edit_event, sees_people, transitions_for
from apps.core.api import drf_error
from apps.core.vocabulary import Modality
from apps.demand import selectors as demand_selectors
from apps.demand.models import Need
from apps.offer import selectors as offer_selectors
from apps.offer.models import Service
from apps.territory.models import Department, Municipality

# --- Output ------------------------------------------------------------------------------------

class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class TerritoryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")


class ServiceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AttendeeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    organization_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EventSerializer(serializers.ModelSerializer):
    status_display = serializers.SerializerMethodField()
    kind_display = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    providers = OrganizationRefSerializer(many=True, read_only=True)
    municipalities = TerritoryRefSerializer(many=True, read_only=True)
    departments = TerritoryRefSerializer(many=True, read_only=True)
    services = ServiceRefSerializer(many=True, read_only=True)
    is_joint = serializers.BooleanField(read_only=True)
    period = serializers.CharField(source="period.name", default=None, read_only=True)
    # Blank for an event in person: a plain string, or the schema's `format: uri` rejects "".
    video_url = serializers.CharField(read_only=True, help_text="Enlace (URL) de la videollamada; vacío si no hay.")

    class Meta:
        model = Event
        fields = ["id", "url", "title", "kind", "kind_display", "status", "status_display", "status_reason",
                  "starts_at", "ends_at", "modality", "place", "video_url", "providers", "municipalities",
                  "departments", "services", "is_joint", "period", "recorded_after_the_fact", "merged_into"]
        read_only_fields = fields

    def get_url(self, event: Event) -> str:
        return event.get_absolute_url()

    def get_status_display(self, event: Event) -> str:
        return str(Status(event.status).label)

    def get_kind_display(self, event: Event) -> str:
        return str(Kind(event.kind).label)


class EventDetailSerializer(EventSerializer):
    description = serializers.CharField(read_only=True)
    needs = serializers.SerializerMethodField()
    attendees = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    merged_sources = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "cost", "needs", "attendees", "actions",
                  "can_edit", "merged_sources"]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    def get_needs(self, event: Event) -> list[int]:
        """Only the needs this person may open: a joint mission's other territories stay private."""
        return [need.pk for need in selectors.event_needs_visible(user=self._user(), event=event)]

    def get_attendees(self, event: Event) -> list[dict]:
        """Personal data: only coordinators and the providers' people see who attends."""
        if not sees_people(self._user(), event):
            return []
        return [{"name": a.name, "email": a.email, "organization_name": a.organization_name}
                for a in event.attendees.all()]

    def get_actions(self, event: Event) -> list[dict]:
        return [{"action": t.action, "label": str(t.label), "needs_reason": t.needs_reason}
                for t in transitions_for(self._user(), event)]

    def get_can_edit(self, event: Event) -> bool:
        return can_edit_event(self._user(), event)

    def get_merged_sources(self, event: Event) -> list[int]:
        return [e.pk for e in event.merged_sources.all()]


# --- Input -------------------------------------------------------------------------------------

class EventInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.TECHNICAL_ASSISTANCE)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    modality = serializers.ChoiceField(choices=Modality.choices, default=Modality.ONSITE)
    place = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    video_url = serializers.URLField(required=False, allow_blank=True, default="")
    providers = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organization.objects.all(),
        help_text="Ids de las organizaciones que la prestan (un editor: la suya, por defecto).")
    municipalities = serializers.SlugRelatedField(
        many=True, required=False, slug_field="code", queryset=Municipality.objects.all(),
        help_text="Códigos DIVIPOLA de los municipios.")
    departments = serializers.SlugRelatedField(
        many=True, required=False, slug_field="code", queryset=Department.objects.all(),
        help_text="Códigos DIVIPOLA de los departamentos atendidos como tales.")
    needs = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Need.objects.all())
    services = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Service.objects.all())
    attendees = AttendeeSerializer(many=True, required=False)
    recorded_after_the_fact = serializers.BooleanField(required=False, default=False)
    cost = serializers.DecimalField(max_digits=14, decimal_places=0, required=False, allow_null=True)
    confirm_non_working_day = serializers.BooleanField(
        required=False, default=False, help_text="true: programar aunque sea festivo o fin de semana.")

    def validate_needs(self, needs):
        # A need the caller may not see answers as if it did not exist.
        user = self.context["request"].user
        visible = set(demand_selectors.need_list(user=user).filter(pk__in=[n.pk for n in needs])
                      .values_list("pk", flat=True))
        missing = [n.pk for n in needs if n.pk not in visible]
        if missing:
            raise serializers.ValidationError(f"Solicitudes que no existen: {', '.join(map(str, missing))}.")
        return needs


class EventPatchSerializer(EventInputSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="confirm, complete, cancel, reschedule")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                          help_text="Solo «reschedule»: nuevo inicio.")
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                        help_text="Solo «reschedule»: nuevo fin.")
    confirm_non_working_day = serializers.BooleanField(required=False, default=False)


def _service_data(validated: dict) -> tuple[dict, bool]:
    data = dict(validated)
    confirmed = data.pop("confirm_non_working_day", False)
    return data, confirmed


@extend_schema_view(
    list=extend_schema(summary="Jornadas de la agenda visibles para quien llama, con filtros"),
    retrieve=extend_schema(summary="Una jornada, con sus asistentes y las acciones posibles"),
    create=extend_schema(summary="Programar una jornada"),
    partial_update=extend_schema(summary="Modificar una jornada"),
    transition=extend_schema(summary="Confirmar, realizar, cancelar o reprogramar una jornada"),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """Events (jornadas). A municipality sees the events in its territory, a department those in
    it and its municipalities, an entity its own; everyone the published agenda; coordinators all."""

    serializer_class = EventSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.event_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        return EventSerializer if self.action == "list" else EventDetailSerializer

    def get_object(self) -> Event:
        return selectors.event_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[
        OpenApiParameter(name, OpenApiTypes.STR, required=False, description=str(f.label))
        for name, f in selectors.EventFilter.base_filters.items() if name not in ("date_from", "date_to")
    ] + [OpenApiParameter("from", OpenApiTypes.DATE, required=False, description="Desde (fecha)"),
         OpenApiParameter("to", OpenApiTypes.DATE, required=False, description="Hasta (fecha)")])
    def list(self, request, *args, **kwargs):
        filterset = selectors.event_filter(user=request.user, filters=request.query_params)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return super().list(request, *args, **kwargs)

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        event = selectors.event_get(user=self.request.user, pk=pk)
        return Response(EventDetailSerializer(event, context={"request": self.request}).data, status=code)

    @extend_schema(request=EventInputSerializer, responses={201: EventDetailSerializer})
    def create(self, request, *args, **kwargs):
        data_in = EventInputSerializer(data=request.data, context={"request": request})
        data_in.is_valid(raise_exception=True)
        data, confirmed = _service_data(data_in.validated_data)
        try:
            event = services.event_create(user=request.user, data=data, confirm_non_working_day=confirmed)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        return self._detail(event.pk, status.HTTP_201_CREATED)

    @extend_schema(request=EventPatchSerializer, responses={200: EventDetailSerializer})
    def partial_update(self, request, pk=None):
        event = self.get_object()
        data_in = EventPatchSerializer(data=request.data, context={"request": request})
        data_in.is_valid(raise_exception=True)
        data, confirmed = _service_data(data_in.validated_data)
        try:
            services.event_update(user=request.user, event=event, data=data, confirm_non_working_day=confirmed)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        return self._detail(event.pk)

    @extend_schema(request=TransitionInputSerializer, responses={200: EventDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        event = self.get_object()
        data_in = TransitionInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            services.event_transition(user=request.user, event=event, **data_in.validated_data)
        except (TransitionError, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        return self._detail(event.pk)


# --- Matches -----------------------------------------------------------------------------------

class MatchSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="0 a 100")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Razones, en español.")
    service = serializers.SerializerMethodField()
    need = serializers.SerializerMethodField()

    def get_service(self, match) -> dict | None:
        s = match.service
        if s is None:
            return None
        return {"id": s.pk, "name": s.name, "organization": s.organization_id,
                "organization_name": s.organization.name, "url": s.get_absolute_url()}

    def get_need(self, match) -> dict | None:
        n = match.need
        if n is None:
            return None
        return {"id": n.pk, "topic": n.topic, "territory": n.territory_name, "status": n.status,
                "url": n.get_absolute_url()}


@extend_schema_view(list=extend_schema(summary="Sugerencias de cruce entre oferta y solicitudes"))
class MatchViewSet(viewsets.ViewSet):
    """Ranked suggestions: services for a need (`?need=`) or needs for a service (`?service=`)."""

    serializer_class = MatchSerializer

    @extend_schema(parameters=[
        OpenApiParameter("need", OpenApiTypes.INT, required=False, description="Id de la solicitud"),
        OpenApiParameter("service", OpenApiTypes.INT, required=False, description="Id del servicio"),
    ], responses={200: MatchSerializer(many=True)})
    def list(self, request):
        need_id, service_id = request.query_params.get("need"), request.query_params.get("service")
        if bool(need_id) == bool(service_id):
            raise ValidationError({"detail": "Indique una solicitud (need) o un servicio (service), no ambos."})
        try:
            pk = int(need_id or service_id)
        except ValueError:
            raise ValidationError({"detail": "El identificador debe ser un número."}) from None
        if need_id:
            need = demand_selectors.need_get(user=request.user, pk=pk)
            found = matching.matches_for_need(user=request.user, need=need)
        else:
            service = offer_selectors.service_get(user=request.user, pk=pk)
            found = matching.matches_for_service(user=request.user, service=service)
        return Response(MatchSerializer(found, many=True).data)


# --- Conflicts ---------------------------------------------------------------------------------

class ConflictSerializer(serializers.Serializer):
    key = serializers.CharField()
    territory = serializers.SerializerMethodField()
    event_ids = serializers.ListField(child=serializers.IntegerField())
    providers = OrganizationRefSerializer(many=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    def get_territory(self, group) -> dict:
        return {"code": group.territory.pk, "name": group.territory.display_name}


class MergeInputSerializer(serializers.Serializer):
    events = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=2,
                                   help_text="Ids de las jornadas del grupo.")
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


@extend_schema_view(
    list=extend_schema(summary="Cruces de jornadas de varios oferentes en un territorio"),
    merge=extend_schema(summary="Unir jornadas en conflicto en una sola"),
)
class ConflictViewSet(viewsets.ViewSet):
    """Events of several providers in one territory within the window (AGENDA_CONFLICT_WINDOW_DAYS)."""

    serializer_class = ConflictSerializer

    @extend_schema(parameters=[
        OpenApiParameter("department", OpenApiTypes.STR, required=False, description="Código DIVIPOLA"),
        OpenApiParameter("from", OpenApiTypes.DATE, required=False), OpenApiParameter("to", OpenApiTypes.DATE,
                                                                                     required=False),
    ], responses={200: ConflictSerializer(many=True)})
    def list(self, request):
        dates = {}
        for param in ("from", "to"):
            value = request.query_params.get(param)
            if value:
                try:
                    dates[param] = serializers.DateField().to_internal_value(value)
                except serializers.ValidationError:
                    raise ValidationError({param: "Use una fecha AAAA-MM-DD."}) from None
        groups = selectors.conflict_groups(user=request.user, department=request.query_params.get("department"),
                                           date_from=dates.get("from"), date_to=dates.get("to"))
        return Response(ConflictSerializer(groups, many=True).data)

    @extend_schema(request=MergeInputSerializer, responses={201: EventDetailSerializer})
    @action(detail=False, methods=["post"])
    def merge(self, request):
        data_in = MergeInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        ids = data_in.validated_data["events"]
        visible = list(selectors.event_base(user=request.user).filter(pk__in=ids))
        if len(visible) != len(set(ids)):
            raise ValidationError({"events": "Alguna de esas jornadas no existe."})
        try:
            mission = services.events_merge(user=request.user, events=visible, title=data_in.validated_data["title"])
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        event = selectors.event_get(user=request.user, pk=mission.pk)
        return Response(EventDetailSerializer(event, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


# --- Feed --------------------------------------------------------------------------------------

def feed_url(token: str) -> str:
    try:
        path = reverse("agenda:feed", args=[token])
    except NoReverseMatch:
        path = f"/agenda/ical/{token}.ics"
    return settings.SITE_URL.rstrip("/") + path


@extend_schema_view(list=extend_schema(summary="La dirección del calendario iCalendar privado de la organización"))
class FeedViewSet(viewsets.ViewSet):
    """The private iCalendar feed of the signed-in person's organisation (created on first use)."""

    @extend_schema(responses={200: inline_serializer("Feed", {
        "organization": serializers.CharField(), "url": serializers.URLField(),
        "created_at": serializers.DateTimeField()})})
    def list(self, request):
        if request.user.organization_id is None:
            raise ValidationError({"detail": "Su cuenta no pertenece a ninguna organización."})
        feed = services.feed_get_or_create(user=request.user, organization=request.user.organization)
        return Response({"organization": request.user.organization.name, "url": feed_url(feed.token),
                         "created_at": feed.created_at})


def register(router) -> list:
    """Register viewsets on the shared router; return extra url patterns (or [])."""
    router.register("agenda/events", EventViewSet, basename="agenda-event")
    router.register("agenda/matches", MatchViewSet, basename="agenda-match")
    router.register("agenda/conflicts", ConflictViewSet, basename="agenda-conflict")
    router.register("agenda/feed", FeedViewSet, basename="agenda-feed")
    return []
