"""/api/v1/: one router; each app registers its viewsets here."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from apps.accounts import api as accounts_api
from apps.agenda import api as agenda_api
from apps.demand import api as demand_api
from apps.knowledge import api as knowledge_api
from apps.monitoring import api as monitoring_api
from apps.offer import api as offer_api
from apps.surveys import api as surveys_api
from apps.territory import api as territory_api


class Router(DefaultRouter):
    """The root lists the endpoints, which the docs show anyone anyway: public."""

    class APIRootView(DefaultRouter.APIRootView):
        permission_classes = [AllowAny]


router = Router()
router.register("departments", territory_api.DepartmentViewSet, basename="department")
router.register("municipalities", territory_api.MunicipalityViewSet, basename="municipality")
router.register("entities", territory_api.NationalEntityViewSet, basename="entity")
router.register("sectors", territory_api.SectorViewSet, basename="sector")
router.register("organizations", accounts_api.OrganizationViewSet, basename="organization")

# Each capability registers its own endpoints (and returns any extra url patterns): a new app adds
# one import and one line here.
CAPABILITIES = [offer_api, demand_api, agenda_api, monitoring_api, knowledge_api, surveys_api]
extra = [pattern for app in CAPABILITIES for pattern in app.register(router)]

urlpatterns = [
    path("me/", accounts_api.me, name="me"),
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="token"),
    path("auth/token/revoke/", accounts_api.token_revoke, name="token_revoke"),
    *extra,
    *router.urls,
]
