"""/api/v1/knowledge/workshops/: the workshops with their problem and solution trees.

- GET  /knowledge/workshops/ (`q`: part of the name; `year`)   public
- GET  /knowledge/workshops/{slug}/   one workshop: tree (causes, effects, objectives with the cause
  each answers, actions; nested), challenges, commitments                public
- GET  /knowledge/workshops/arbol-de-problemas-patt/   the policy's shared tree (`is_patt`)
- POST /knowledge/workshops/  record one (coordinators; editors for their own organisation):
  {"title", "held_on", "place", "organizers": ["DNP", "MinVivienda"], "participants",
   "participants_count", "objective", "central_problem", "central_objective", "municipality",
   "department", "tree": {"causes": [{"text", "children": [{"text", "children": [...]}]}],
   "effects": [...], "objectives": [{"text", "answers": 1, "children": [actions]}]},
   "challenges": ["…"], "commitments": [{"text", "responsible": "MinVivienda", "due_on"}]}

Writes go through `services_workshops`; refusals answer 400 (403 for a forbidden write) in Spanish.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from apps.core.api import drf_error
from apps.knowledge import selectors_workshops as selectors
from apps.knowledge import services_workshops as services
from apps.knowledge.models import CommitmentStatus, Workshop
from apps.knowledge.trees import MAX_TEXT, tree_as_data, tree_build
from apps.territory.models import Department, Municipality


class WorkshopsPermission(BasePermission):
    """Anyone reads; recording needs a signed-in person (the service checks who may)."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_authenticated)


# --- Output --------------------------------------------------------------------------------------

class NodeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    unclear = serializers.BooleanField(help_text="El texto no se lee bien en la fuente.")
    answers = serializers.IntegerField(required=False, allow_null=True,
                                       help_text="Objetivos: número de la causa directa que responde.")
    children = serializers.ListField(child=serializers.DictField(), help_text="Nodos hijos, con la misma forma.")


class TreeOutput(serializers.Serializer):
    causes = NodeOutput(many=True, help_text="Causas directas; sus hijos, las indirectas.")
    effects = NodeOutput(many=True)
    objectives = NodeOutput(many=True, help_text="Objetivos; sus hijos, las acciones.")
    actions = NodeOutput(many=True, help_text="Acciones que no cuelgan de un objetivo.")


class CommitmentRef(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    responsible = serializers.IntegerField(source="responsible_id", allow_null=True)
    responsible_name = serializers.SerializerMethodField()
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
    url = serializers.CharField(source="get_absolute_url")

    def get_responsible_name(self, c) -> str:
        return c.responsible.name if c.responsible_id else c.responsible_text


class WorkshopOutput(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    municipality = serializers.CharField(source="municipality_id", allow_null=True, read_only=True)
    department = serializers.CharField(source="department_id", allow_null=True, read_only=True)

    class Meta:
        model = Workshop
        fields = ["slug", "url", "title", "held_on", "place", "organizers", "participants", "participants_count",
                  "objective", "central_problem", "central_objective", "municipality", "department", "is_patt"]
        read_only_fields = fields


class WorkshopDetailOutput(WorkshopOutput):
    summary = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    source_notes = serializers.CharField(read_only=True)
    organizer_organizations = serializers.SerializerMethodField()
    tree = serializers.SerializerMethodField()
    challenges = serializers.SerializerMethodField()
    commitments = CommitmentRef(many=True, read_only=True)

    class Meta(WorkshopOutput.Meta):
        fields = [*WorkshopOutput.Meta.fields, "summary", "source", "source_notes", "organizer_organizations",
                  "tree", "challenges", "commitments"]
        read_only_fields = fields

    def get_organizer_organizations(self, w: Workshop) -> list[int]:
        return [o.pk for o in w.organizer_organizations.all()]

    @extend_schema_field(TreeOutput)
    def get_tree(self, w: Workshop) -> dict:
        tree = tree_build(w.tree_nodes.all())
        return {"causes": tree_as_data(tree.causes), "effects": tree_as_data(tree.effects),
                "objectives": tree_as_data(tree.objectives, tree), "actions": tree_as_data(tree.actions)}

    def get_challenges(self, w: Workshop) -> list[str]:
        return [c.text for c in w.challenges.all()]


# --- Input ---------------------------------------------------------------------------------------

class LeafInput(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT)


class BranchInput(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT)
    children = LeafInput(many=True, required=False, default=list)


class RootInput(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT)
    answers = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=200,
                                       help_text="Objetivos: número (1, 2, …) de la causa directa que responde.")
    children = BranchInput(many=True, required=False, default=list)


class TreeInput(serializers.Serializer):
    causes = RootInput(many=True, required=False, default=list,
                       help_text="Causas directas; sus hijos, las indirectas (hasta tres niveles).")
    effects = RootInput(many=True, required=False, default=list)
    objectives = RootInput(many=True, required=False, default=list, help_text="Objetivos; sus hijos, las acciones.")


class WorkshopCommitmentInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    responsible = serializers.CharField(max_length=300, help_text="Nombre o sigla de la entidad o territorio.")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class WorkshopInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    organizers = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list,
                                       max_length=30, help_text="Nombres o siglas de las organizaciones.")
    participants = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    participants_count = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                                  max_value=100_000)
    objective = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    central_problem = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    central_objective = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    municipality = serializers.SlugRelatedField(slug_field="code", queryset=Municipality.objects.all(),
                                                required=False, allow_null=True, default=None,
                                                help_text="Código DIVIPOLA del municipio.")
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all(),
                                              required=False, allow_null=True, default=None,
                                              help_text="Código DIVIPOLA del departamento.")
    tree = TreeInput(required=False)
    challenges = serializers.ListField(child=serializers.CharField(max_length=MAX_TEXT), required=False,
                                       default=list, max_length=50)
    commitments = WorkshopCommitmentInput(many=True, required=False, default=list)

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        data["organizer_names"] = data.pop("organizers")
        data["tree"] = data.get("tree") or {}
        return data


@extend_schema_view(
    list=extend_schema(summary="Talleres (los ocho de 2021 y los registrados después)", parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, required=False, description="Parte del nombre"),
        OpenApiParameter("year", OpenApiTypes.INT, required=False, description="Año"),
    ]),
    retrieve=extend_schema(summary="Un taller con su árbol de problemas y de soluciones, retos y compromisos "
                                   "(el árbol de la política: arbol-de-problemas-patt)"),
    create=extend_schema(summary="Registrar un taller", request=WorkshopInput, responses={201: WorkshopDetailOutput}),
)
class WorkshopViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = WorkshopOutput
    permission_classes = [WorkshopsPermission]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,80}"
    queryset = Workshop.objects.none()  # for the schema; reads go through the selectors

    def get_queryset(self):
        year = self.request.query_params.get("year") or ""
        if year and not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 2200):
            raise ValidationError({"year": "Escriba un año de cuatro cifras."})
        return selectors.workshop_list(user=self.request.user, q=(self.request.query_params.get("q") or "")[:100],
                                       year=int(year) if year else None)

    def get_serializer_class(self):
        return WorkshopOutput if self.action == "list" else WorkshopDetailOutput

    def get_object(self) -> Workshop:
        return selectors.workshop_get(user=self.request.user, slug=self.kwargs["slug"])

    def create(self, request, *args, **kwargs):
        data_in = WorkshopInput(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            workshop = services.workshop_create(user=request.user, data=data_in.service_data())
        except (DjangoPermissionDenied, DjangoValidationError) as exc:
            raise drf_error(exc) from exc
        obj = selectors.workshop_get(user=request.user, slug=workshop.slug)
        return Response(WorkshopDetailOutput(obj).data, status=status.HTTP_201_CREATED)


def register(router) -> list:
    router.register("knowledge/workshops", WorkshopViewSet, basename="knowledge-workshop")
    return []
