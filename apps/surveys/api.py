"""DRF endpoints of this app; `register(router)` adds them under /api/v1/."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.surveys import selectors
from apps.surveys.models import Survey


class SurveyOutput(serializers.ModelSerializer):
    results_url = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = ["slug", "title", "unit", "year", "mode", "results_url"]

    def get_results_url(self, obj: Survey) -> str:
        return self.context["request"].build_absolute_uri(f"/api/v1/surveys/{obj.slug}/results/")


@extend_schema_view(
    list=extend_schema(summary="Encuestas que tiene la plataforma",
                       description="Las encuestas PATT 2021 (importadas); los coordinadores ven también las de "
                                   "seguimiento (mode=live), respondidas por enlace."),
    retrieve=extend_schema(summary="Una encuesta (definición)"),
)
class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """The surveys the platform holds (definitions only); live follow-up surveys for coordinators only."""

    serializer_class = SurveyOutput
    lookup_field = "slug"
    lookup_value_regex = "[-a-z0-9]+"

    def get_queryset(self):
        return selectors.survey_list(user=self.request.user)


@extend_schema(
    summary="Resultados de una encuesta, pregunta por pregunta",
    parameters=[OpenApiParameter("unit", OpenApiTypes.STR, enum=list(selectors.UNITS),
                                 description="entity (default): each entity's latest answer; submission: every row")],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def survey_results(request: Request, slug: str) -> Response:
    """Results of one survey, per the contract of docs/survey-formats.md."""
    survey = selectors.survey_get(user=request.user, slug=slug)
    unit = request.query_params.get("unit", "entity")
    if unit not in selectors.UNITS:
        raise ValidationError({"unit": "Use entity o submission."})
    return Response(selectors.survey_results(user=request.user, survey=survey, unit=unit))


def register(router) -> list:
    """Register viewsets on the shared router; return extra url patterns (or [])."""
    router.register("surveys", SurveyViewSet, basename="survey")
    return [path("surveys/<slug:slug>/results/", survey_results, name="survey-results")]
