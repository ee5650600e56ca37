from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "apps.agenda"
    label = "agenda"
    verbose_name = _("Agenda coordinada")

    def ready(self) -> None:
        from apps.agenda import panels  # noqa: F401 - registers the territory and entity panels
        from apps.agenda.permissions import can_coordinate, can_propose
        from apps.core.navigation import Item, register_nav, register_work

        def member(user) -> bool:
            return user.is_authenticated and user.organization_id is not None

        register_nav(Item(_("Agenda"), "agenda:calendar", order=30))
        register_work(Item(_("Mi agenda"), "agenda:mine", order=20,
                           help=_("Las jornadas de su organización y de su territorio."), visible=member))
        register_work(Item(_("Proponer una jornada"), "agenda:event_new", order=21,
                           help=_("Programe asistencia técnica, también la ya realizada."), visible=can_propose))
        register_work(Item(_("Coordinación de la agenda"), "agenda:conflicts", order=22,
                           help=_("Cruces, viajes que se pueden unir, solicitudes en espera y carga."),
                           visible=can_coordinate))
        register_work(Item(_("Periodos de la agenda"), "agenda:periods", order=23,
                           help=_("Cierre y publique la agenda de cada periodo."), visible=can_coordinate))
        register_work(Item(_("Calendario en Outlook o Google"), "agenda:feed_settings", order=24,
                           help=_("Suscríbase a la agenda de su organización."), visible=member))
