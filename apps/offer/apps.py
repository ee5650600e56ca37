from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfferConfig(AppConfig):
    name = "apps.offer"
    label = "offer"
    verbose_name = _("Oferta de asistencia técnica")

    def ready(self) -> None:
        from apps.core.navigation import Item, register_nav, register_work
        from apps.offer import panels  # noqa: F401 - registers the entity and department panels
        from apps.offer.permissions import can_author

        register_nav(Item(_("Oferta"), "offer:catalogue", order=10))
        register_work(Item(_("Mis servicios"), "offer:mine", order=10,
                           help=_("Cree, edite, publique y archive la oferta de su entidad."), visible=can_author))
        register_work(Item(_("Importar servicios"), "offer:import", order=11,
                           help=_("Cargue varios servicios desde una hoja de cálculo."), visible=can_author))
