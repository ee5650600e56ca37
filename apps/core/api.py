"""What every API endpoint shares: pagination and the one DRF error adapter
(the docs' conventions live in apps/core/openapi.py).

Views raise Django's `ValidationError` / `PermissionDenied` from services or DRF's own exceptions;
`exception_handler` turns them all into JSON: 400 `{"campo": ["mensaje"]}` or `{"detail": "…"}`,
401/403/404/429 `{"detail": "…"}`, in Spanish (the site's language).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def validation_detail(exc: DjangoValidationError) -> dict:
    """A Django ValidationError as DRF's error body: field errors by field, the rest as non_field_errors."""
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if key == "__all__" else key): value for key, value in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def drf_error(exc: Exception) -> exceptions.APIException:
    """A service's refusal as DRF's: PermissionDenied → 403; ValidationError → 400 by field, or
    `{"detail": [...]}` when it names no field; anything else (a TransitionError) → 400 `{"detail": "…"}`."""
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    return exceptions.ValidationError({"detail": str(exc)})


def exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError (raised by services and model fields) as a 400."""
    # Imported here: DRF loads this module (DEFAULT_PAGINATION_CLASS) while rest_framework.views loads.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    return drf_exception_handler(exc, context)
