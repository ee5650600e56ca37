"""/api/v1/: one router; each app registers its viewsets here."""

from importlib import import_module

from django.urls import path
from rest_framework.routers import DefaultRouter

from apps.accounts import api as accounts_api
from apps.territory import api as territory_api

router = DefaultRouter()
router.register("departments", territory_api.DepartmentViewSet, basename="department")
router.register("municipalities", territory_api.MunicipalityViewSet, basename="municipality")
router.register("entities", territory_api.NationalEntityViewSet, basename="entity")
router.register("sectors", territory_api.SectorViewSet, basename="sector")
router.register("organizations", accounts_api.OrganizationViewSet, basename="organization")

# Each capability registers its own endpoints, so apps never edit this file.
CAPABILITIES = ["offer", "demand", "agenda", "monitoring", "knowledge", "surveys"]
extra = [p for app in CAPABILITIES for p in import_module(f"apps.{app}.api").register(router)]

urlpatterns = [
    path("me/", accounts_api.me, name="me"),
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="token"),
    path("auth/token/revoke/", accounts_api.token_revoke, name="token_revoke"),
    *extra,
    *router.urls,
]
