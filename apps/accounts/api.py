from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from apps.accounts import services
from apps.accounts.authentication import normalize_login, token_expires_at
from apps.accounts.models import Organization, User
from apps.accounts.permissions import can_edit_organization
from apps.accounts.selectors import organization_get, organization_list
from apps.accounts.services import organization_update_contact, token_issue
from apps.core.validators import SingleLineSerializerMixin

LOCKED_OUT = _("Demasiados intentos fallidos con este correo: por seguridad está bloqueado una hora. "
               "Si olvidó su contraseña, restablézcala en /cuentas/contrasena/olvido/.")


class OrganizationSerializer(SingleLineSerializerMixin, serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)
    # An organisation is one kind of thing: the other two links are null (the schema says so).
    department = serializers.CharField(source="department_id", read_only=True, allow_null=True)
    municipality = serializers.CharField(source="municipality_id", read_only=True, allow_null=True)
    # No default: under PATCH (partial) DRF drops a field whose default it would use.
    national_entity = serializers.CharField(source="national_entity.acronym", read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "kind", "name", "department", "municipality", "national_entity", "email", "phone",
                  "address", "member_count"]
        read_only_fields = ["id", "kind", "name"]


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "organization"]


@extend_schema(summary="La persona que llama, su rol y su organización", responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in person, their role and organisation (with its member count, as in /organizations/)."""
    user = User.objects.get(pk=request.user.pk)
    if user.organization_id is not None:  # an admin made with createsuperuser may have none
        user.organization = organization_get(user=user, pk=user.organization_id)
    return Response(MeSerializer(user).data)


@extend_schema_view(
    list=extend_schema(summary="Organizaciones visibles para quien llama"),
    retrieve=extend_schema(summary="Una organización"),
    update=extend_schema(summary="Reemplazar los datos de contacto de la organización propia"),
    partial_update=extend_schema(summary="Modificar los datos de contacto de la organización propia"),
)


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                          viewsets.GenericViewSet):
    """Organisations the caller may see: their own (and, for a department, its municipalities')."""

    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "department"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return organization_list(user=self.request.user)

    def perform_update(self, serializer):
        org = serializer.instance
        if not can_edit_organization(self.request.user, org):
            raise NotFound
        data = {f: serializer.validated_data.get(f, getattr(org, f)) for f in ("email", "phone", "address")}
        with transaction.atomic():
            organization_update_contact(organization=org, **data)


class TokenRequestSerializer(AuthTokenSerializer):
    def validate_username(self, value: str) -> str:
        return normalize_login(value)


@extend_schema_view(post=extend_schema(summary="Obtener el token de API con correo y contraseña"))
class TokenObtainView(ObtainAuthToken):
    """POST e-mail and password, get the person's API token. Throttled apart (scope `token`, per IP)
    so it cannot be used to guess passwords at the general anonymous rate; authenticates with the
    request, so django-axes counts failures and locks the address as on the login page (429)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": LOCKED_OUT}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise ValidationError(serializer.errors)
        token = token_issue(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": token_expires_at(token)})


@extend_schema(summary="Revocar el token de API de quien llama", request=None, responses={204: None})
@api_view(["POST"])
def token_revoke(request):
    """End the caller's API token now (it also ends on a password change and after API_TOKEN_TTL)."""
    services.token_revoke(user=request.user)
    return Response(status=status.HTTP_204_NO_CONTENT)
