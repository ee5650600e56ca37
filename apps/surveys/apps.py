from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "apps.surveys"
    label = "surveys"
    verbose_name = _("Encuestas")

    def ready(self) -> None:
        from apps.core.navigation import Item, register_work
        from apps.surveys import panels  # noqa: F401 - registers the municipality and entity panels
        from apps.surveys.permissions import can_manage_surveys

        register_work(Item(_("Encuestas 2021"), "surveys:index", order=60,
                           help=_("Importe las exportaciones de las encuestas y vea sus resultados."),
                           visible=can_manage_surveys))
