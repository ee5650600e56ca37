from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "apps.territory"
    label = "territory"
    verbose_name = _("Territorio y entidades")

    def ready(self) -> None:
        from apps.core.collation import install

        install()  # names sort accent-aware (apps.core.collation) on SQLite too
        from apps.core.navigation import Item, register_nav

        register_nav(Item(_("Territorios"), "territory:departments", order=80))
        register_nav(Item(_("Entidades"), "territory:entities", order=85))
