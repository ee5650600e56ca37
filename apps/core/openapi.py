"""The API docs' conventions, for every endpoint: a capability tag (each linking back to its pages on
the site), public operations marked as such, and the error answers every operation may give."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from rest_framework.generics import GenericAPIView

# Which capability (tag in the docs) each app's endpoints belong to, and the page of the site it backs.
CAPABILITIES = {
    "offer": ("Oferta", "Catálogo de servicios de asistencia técnica territorial.", "/oferta/"),
    "demand": ("Demanda", "Solicitudes de asistencia técnica de municipios y departamentos.", "/solicitudes/"),
    "agenda": ("Agenda", "La agenda coordinada de jornadas de asistencia técnica.", "/agenda/"),
    "monitoring": ("Seguimiento", "Encuestas de seguimiento e indicadores de capacidad.", "/seguimiento/"),
    "knowledge": ("Conocimiento", "Lecciones, buenas prácticas y memoria institucional.", "/conocimiento/"),
    "surveys": ("Encuestas 2021", "Resultados de las encuestas PATT 2021 (personas con sesión).", "/encuestas/"),
    "territory": ("Territorio", "Datos de referencia: DIVIPOLA, entidades y sectores.", "/territorio/departamentos/"),
    "accounts": ("Cuentas", "La persona que llama, su organización y su token de acceso.", "/cuentas/organizacion/"),
}

ERROR = {
    "type": "object",
    "description": "Error en español: `detail`, o los mensajes de cada campo (`{\"campo\": [\"mensaje\"]}`).",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "Solicitud no válida: datos, filtros o caracteres que no se pueden procesar.",
    "401": "Falta la autenticación o el token no es válido.",
    "403": "La persona autenticada no tiene permiso (o falta la autenticación, con sesión).",
    "404": "No existe, o no es visible para quien llama (se responde igual).",
    "429": "Demasiadas solicitudes: espere los segundos que indica Retry-After.",
}


def schema_postprocess(result, generator, request, public):
    """drf-spectacular hook: the tags in capability order, each linking back to its pages on the site,
    and the whole document linking to the site (SITE_URL)."""
    used = {tag for item in result.get("paths", {}).values() for op in item.values() for tag in op.get("tags", [])}
    result["tags"] = [
        {"name": name, "description": text,
         "externalDocs": {"description": "Ver en el sitio", "url": settings.SITE_URL + page}}
        for name, text, page in CAPABILITIES.values() if name in used
    ]
    result["externalDocs"] = {"description": "Agenda ATT: el sitio", "url": settings.SITE_URL + "/"}
    return result


class AutoSchema(SpectacularAutoSchema):
    def _app(self) -> str:
        parts = self.view.__class__.__module__.split(".")
        return parts[1] if len(parts) > 1 and parts[0] == "apps" else ""

    def get_tags(self) -> list[str]:
        capability = CAPABILITIES.get(self._app())
        return [capability[0]] if capability else super().get_tags()

    def is_public(self) -> bool:
        """Public = an anonymous caller passes every permission class of the view for this method."""
        request = SimpleNamespace(method=self.method, user=AnonymousUser(), auth=None)
        return all(permission.has_permission(request, self.view) for permission in self.view.get_permissions())

    def get_description(self) -> str:
        description = super().get_description() or ""
        if self.is_public():
            return ("**Público**: no requiere autenticación.\n\n" + description).strip()
        return ("Requiere autenticación (token o sesión).\n\n" + description).strip()

    def get_extensions(self) -> dict:
        return {**super().get_extensions(), "x-public": self.is_public()}

    def _is_list_view(self, serializer=None) -> bool:
        """A plain ViewSet's `list` may answer one object (the agenda's feed): it is a list only when
        its documented response is `many=True`. Generic views keep drf-spectacular's reading."""
        if isinstance(self.view, GenericAPIView):
            return super()._is_list_view(serializer)
        if serializer is None:
            serializer = self.get_response_serializers()
        if isinstance(serializer, dict) and serializer:
            serializer = next(iter(serializer.values()))
        return is_list_serializer(serializer)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, text in ERRORS.items():
            responses.setdefault(code, {"description": text, "content": {"application/json": {"schema": ERROR}}})
        return responses
