from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.core.decorators import public
from config import api_urls

urlpatterns = [
    path("", include("apps.core.urls")),
    path("favicon.ico", public(RedirectView.as_view(url=static("favicon.svg"), permanent=True)), name="favicon"),
    path("cuentas/", include("apps.accounts.urls")),
    path("territorio/", include("apps.territory.urls")),
    path("oferta/", include("apps.offer.urls")),
    path("solicitudes/", include("apps.demand.urls")),
    path("agenda/", include("apps.agenda.urls")),
    path("seguimiento/", include("apps.monitoring.urls")),
    path("conocimiento/", include("apps.knowledge.urls")),
    path("encuestas/", include("apps.surveys.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urls.urlpatterns, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script as a file: the CSP allows no inline scripts.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
]
