"""/api/v1/monitoring/: the indicators (public aggregates), follow-up answers and frozen periods.

- GET  /monitoring/indicators/?period=&department=&sector=&provider=&category=&municipality=&desde=&hasta=&by=
       every indicator: code, name, formula, value, unit, numerator, denominator, breakdown, by,
       frozen (and frozen_at, frozen_note "Cifras congeladas el …"), baseline_2021. Public.
- GET  /monitoring/followups/ (paginated), /monitoring/followups/{id}/   coordinators only: who was
       asked, when, and the answers.
- POST /monitoring/periods/{id}/freeze/   coordinators only: freeze the period's figures (idempotent:
       201 the first time, 200 with the same figures afterwards).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from apps.core.api import drf_error
from apps.monitoring import dashboards, selectors, services
from apps.monitoring.indicators import BREAKDOWNS, CAPACITY_BREAKDOWN, CODES, Filters, Indicator, indicators_compute
from apps.monitoring.panels import is_own_municipality
from apps.territory.models import Municipality


class CoordinatorOnly(BasePermission):
    """DNP coordinators (and admins); anyone else signed in gets 403, an anonymous caller 401."""

    access_rule = "coordinator"
    message = "Solo la coordinación DNP puede consultar esto."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_coordinator)


# --- Indicators ----------------------------------------------------------------------------------

class BreakdownSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Código del departamento, categoría, sector (slug), id de la entidad "
                                          "o capacidad; vacío: sin dato.")
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField(default=False, help_text=(
        "Verdadero si la cifra del grupo se calculó con menos de 5 respuestas de seguimiento y no se publica "
        "(valor, numerador y denominador vacíos); la coordinación DNP la recibe completa."))


class BaselineSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    label = serializers.CharField()
    source = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(CODES))
    name = serializers.CharField()
    formula = serializers.CharField(help_text="Cómo se calcula, en palabras.")
    unit = serializers.CharField(help_text="%, días, jornadas, puntos o COP.")
    value = serializers.FloatField(allow_null=True, help_text="Nulo si no hay datos para calcularlo.")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    by = serializers.CharField(allow_null=True, help_text="Desagregación de `breakdown`.")
    breakdown = BreakdownSerializer(many=True)
    frozen = serializers.BooleanField(help_text="Cifras congeladas al cerrar el periodo.")
    frozen_at = serializers.DateTimeField(allow_null=True)
    frozen_note = serializers.SerializerMethodField()
    baseline_2021 = BaselineSerializer(allow_null=True, help_text="La línea de base 2021 cuando mide lo mismo.")
    withheld = serializers.BooleanField(default=False, help_text=(
        "Verdadero si la cifra nacional se calculó con menos de 5 respuestas de seguimiento y no se publica "
        "(valor, numerador y denominador vacíos), como en las páginas públicas; la coordinación DNP la recibe "
        "completa."))

    def get_frozen_note(self, indicator: Indicator) -> str:
        return frozen_note(indicator)


def frozen_note(indicator: Indicator) -> str:
    if not indicator.frozen or indicator.frozen_at is None:
        return ""
    when = formats.date_format(timezone.localtime(indicator.frozen_at), "j \\d\\e F \\d\\e Y")
    return _("Cifras congeladas el %(date)s") % {"date": when}


BY_CHOICES = [*BREAKDOWNS, CAPACITY_BREAKDOWN, "none"]
INDICATOR_PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.STR, required=False,
                     description="Periodo de la agenda: nombre (2027-T1) o id."),
    OpenApiParameter("desde", OpenApiTypes.DATE, required=False, description="Desde (AAAA-MM-DD); con `hasta`, "
                     "en lugar del periodo."),
    OpenApiParameter("hasta", OpenApiTypes.DATE, required=False, description="Hasta (AAAA-MM-DD)."),
    OpenApiParameter("department", OpenApiTypes.STR, required=False, description="Código DIVIPOLA del departamento."),
    OpenApiParameter("municipality", OpenApiTypes.STR, required=False, description="Código DIVIPOLA del municipio."),
    OpenApiParameter("category", OpenApiTypes.STR, required=False, description="Categoría municipal (Ley 617).",
                     enum=["especial", "1", "2", "3", "4", "5", "6"]),
    OpenApiParameter("sector", OpenApiTypes.STR, required=False, description="Sector (slug)."),
    OpenApiParameter("provider", OpenApiTypes.INT, required=False, description="Id de la entidad que presta."),
    OpenApiParameter("by", OpenApiTypes.STR, required=False, enum=BY_CHOICES,
                     description="Desagregación: department (por defecto), category, sector, provider, capacity "
                                 "(solo el cambio en las capacidades) o none."),
    OpenApiParameter("code", OpenApiTypes.STR, required=False, many=True, enum=list(CODES),
                     description="Solo estos indicadores (repetible)."),
]


def _date(params, name: str):
    value = params.get(name)
    if not value:
        return None
    try:
        return serializers.DateField().to_internal_value(value)
    except serializers.ValidationError:
        raise ValidationError({name: "Use una fecha AAAA-MM-DD."}) from None


def filters_from_params(params, *, user=None) -> tuple[Filters, str | None, list[str] | None]:
    """Filters, breakdown and codes from query parameters; unknown values are 400 in Spanish."""
    errors: dict[str, str] = {}
    filters = Filters(starts_on=_date(params, "desde"), ends_on=_date(params, "hasta"))
    if params.get("period"):
        filters.period = selectors.period_find(params["period"], user=user)
        if filters.period is None:
            errors["period"] = "No existe ese periodo de la agenda."
    for name in ("department", "municipality", "category", "sector"):
        value = (params.get(name) or "").strip()
        if value:
            if len(value) > 60:
                errors[name] = "Valor demasiado largo."
            setattr(filters, name, value)
    if params.get("provider"):
        try:
            # run_validation, not to_internal_value: only the former applies min and max (2**64 was a 500).
            filters.provider = serializers.IntegerField(min_value=1, max_value=2**63 - 1).run_validation(
                params["provider"])
        except serializers.ValidationError:
            errors["provider"] = "Escriba el id numérico de la entidad."
    by = params.get("by") or "department"
    if by not in BY_CHOICES:
        errors["by"] = "Use department, category, sector, provider, capacity o none."
    codes = params.getlist("code") if hasattr(params, "getlist") else None
    unknown = [c for c in codes or [] if c not in CODES]
    if unknown:
        errors["code"] = f"Indicador desconocido: {', '.join(unknown[:5])}."
    if filters.starts_on and filters.ends_on and filters.ends_on < filters.starts_on:
        errors["hasta"] = "La fecha final debe ser posterior a la inicial."
    if errors:
        raise ValidationError(errors)
    return filters, (None if by == "none" else by), (codes or None)


@extend_schema_view(list=extend_schema(
    summary="Indicadores de la asistencia técnica (agregados públicos, con su fórmula)",
    parameters=INDICATOR_PARAMETERS, responses={200: IndicatorSerializer(many=True)}))
class IndicatorViewSet(viewsets.ViewSet):
    """Every indicator with its formula in words, national value and breakdown. Public: aggregates only,
    never personal data. A frozen period (no filter but the period) answers its stored figures.
    The pages' disclosure rule applies (apps/monitoring/dashboards.py): figures resting on fewer than
    5 follow-up answers are withheld from anyone but a coordinator, a municipality's figures read
    from answers from anyone but its own people (as its panel), and only published periods are
    public."""

    permission_classes = [AllowAny]

    def list(self, request):
        filters, by, codes = filters_from_params(request.query_params, user=request.user)
        indicators = indicators_compute(user=request.user, filters=filters, by=by, codes=codes)
        full = bool(request.user.is_authenticated and request.user.is_coordinator)
        no_answers = False
        if filters.municipality and not full:
            # As the municipality's results panel: its own people see everything, anyone else no
            # figure read from follow-up answers, however many there are.
            found = Municipality.objects.filter(code=filters.municipality).first()
            full = found is not None and is_own_municipality(request.user, found)
            no_answers = not full
        shown = [dashboards.disclose(indicator, full=full, no_answers=no_answers) for indicator in indicators]
        return Response(IndicatorSerializer(shown, many=True).data)


# --- Follow-ups ------------------------------------------------------------------------------------

class FollowUpAnswerSerializer(serializers.Serializer):
    question = serializers.CharField(source="question.key")
    header = serializers.CharField(source="question.header")
    role = serializers.CharField(source="question.role")
    capacity = serializers.CharField(source="question.capacity")
    option = serializers.CharField(source="option.text", default=None, allow_null=True)
    number = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = inline_serializer("FollowUpEvent", {"id": serializers.IntegerField(), "title": serializers.CharField(),
                                                "starts_at": serializers.DateTimeField()})
    audience = serializers.CharField()
    audience_display = serializers.CharField(source="get_audience_display")
    name = serializers.CharField()
    email = serializers.EmailField()
    organization = serializers.CharField(source="organization.name", default=None, allow_null=True)
    municipality = serializers.CharField(source="municipality_id", allow_null=True)
    department = serializers.CharField(source="department_id", allow_null=True)
    capacities = serializers.ListField(child=serializers.CharField())
    sent_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    reminders_sent = serializers.IntegerField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answers = serializers.SerializerMethodField()

    @extend_schema_field(FollowUpAnswerSerializer(many=True))
    def get_answers(self, invitation) -> list[dict]:
        if invitation.submission is None:
            return []
        return FollowUpAnswerSerializer(invitation.submission.answers.all(), many=True).data


@extend_schema_view(
    list=extend_schema(summary="Seguimientos enviados y sus respuestas (solo coordinación DNP)"),
    retrieve=extend_schema(summary="Un seguimiento y sus respuestas (solo coordinación DNP)"),
)
class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-up invitations with the answers given: personal data, so coordinators only."""

    permission_classes = [CoordinatorOnly]
    serializer_class = FollowUpSerializer

    def get_queryset(self):
        return selectors.followup_list(user=self.request.user)


# --- Periods ----------------------------------------------------------------------------------------

class FrozenPeriodSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.name")
    period_id = serializers.IntegerField()
    closed_at = serializers.DateTimeField()
    closed_by = serializers.CharField(source="closed_by.email", default=None, allow_null=True)
    indicators = serializers.SerializerMethodField()

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, frozen) -> list[dict]:
        indicators = indicators_compute(user=None, filters=Filters(period=frozen.period), by=None)
        return IndicatorSerializer(indicators, many=True).data


@extend_schema_view(freeze=extend_schema(
    summary="Congelar las cifras de un periodo publicado o cerrado (solo coordinación DNP)", request=None,
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Id del periodo.")],
    responses={200: FrozenPeriodSerializer, 201: FrozenPeriodSerializer}))
class PeriodViewSet(viewsets.GenericViewSet):
    """Freezing a period stores every indicator with every breakdown; later edits never change them.
    Freezing again answers 200 with the figures of the first time."""

    permission_classes = [CoordinatorOnly]
    serializer_class = FrozenPeriodSerializer
    lookup_value_regex = "[0-9]+"

    @action(detail=True, methods=["post"])
    def freeze(self, request, pk=None):
        period = selectors.period_get(user=request.user, pk=pk)
        if period is None:
            raise NotFound("No existe ese periodo de la agenda.")
        already = selectors.period_is_frozen(period=period)
        try:
            frozen = services.period_freeze(user=request.user, period=period)
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        return Response(FrozenPeriodSerializer(frozen).data,
                        status=status.HTTP_200_OK if already else status.HTTP_201_CREATED)


def register(router) -> list:
    """Register viewsets on the shared router; return extra url patterns (or [])."""
    router.register("monitoring/indicators", IndicatorViewSet, basename="monitoring-indicator")
    router.register("monitoring/followups", FollowUpViewSet, basename="monitoring-followup")
    router.register("monitoring/periods", PeriodViewSet, basename="monitoring-period")
    return []
