from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Plataforma")

    def ready(self) -> None:
        from apps.core.navigation import Item, register_work

        register_work(Item(_("Avisos"), "core:notifications", order=90,
                           help=_("Novedades de su trabajo en la plataforma."),
                           visible=lambda user: user.is_authenticated))
