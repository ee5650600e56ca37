"""Error pages that need the request: the CSRF failure (Django renders 403_csrf.html without it)."""

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Spanish page with the site's menu; the technical reason is only logged by Django."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
