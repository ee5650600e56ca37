"""Requests the database cannot store answer 400 before any view runs.

PostgreSQL rejects NUL in text (psycopg raises ValueError) and no person types C0 control
characters, so a path, query string or form field carrying them is a malformed request, not a
server error. Tab, line feed and carriage return stay allowed in query strings and form fields
(text areas send CR LF); the path allows none.
"""

import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = ("La dirección o el formulario traen caracteres de control, o un formato, que no se pueden "
           "procesar.")
TOO_BIG = ("La dirección o el formulario son demasiado grandes o traen demasiados campos; no se "
           "guardó nada.")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Reading the form here, before the session and the user are attached, must not let Django's
# own 400 page run: its context processors read `request.user`, which is not there yet (a 500).
TOO_MUCH = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def _has_control(querydict) -> bool:
    return any(
        CONTROL_IN_VALUE.search(key) or any(CONTROL_IN_VALUE.search(value) for value in values)
        for key, values in querydict.lists()
    )


def has_control_characters(request: HttpRequest) -> bool:
    if CONTROL_IN_PATH.search(request.path) or _has_control(request.GET):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        try:
            return _has_control(request.POST)
        except MultiPartParserError:  # a body that is not the multipart it claims: just as unusable
            return True
    return False


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            bad = has_control_characters(request)
        except TOO_MUCH:
            return self.refuse(request, TOO_BIG)
        if bad:
            return self.refuse(request, MESSAGE)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


class ApiNotFoundMiddleware:
    """An /api/ address that matches no route (a non-numeric id, a typo) answers JSON like every other
    API error, not the site's HTML 404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code == 404 and request.path.startswith("/api/")
                and response.get("Content-Type", "").startswith("text/html")):
            return JsonResponse({"detail": "No encontrado."}, status=404)
        return response
