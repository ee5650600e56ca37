from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "apps.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from apps.core.navigation import Item, register_nav
        from apps.monitoring import panels  # noqa: F401 - registers the territory and entity results panels

        def coordinator(user) -> bool:
            return user.is_authenticated and user.is_coordinator

        register_nav(Item(_("Seguimiento"), "monitoring:dashboard", order=40, visible=coordinator))
        register_nav(Item(_("Resultados"), "monitoring:summary", order=40, visible=lambda user: not coordinator(user)))
