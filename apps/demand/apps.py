from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    name = "apps.demand"
    label = "demand"
    verbose_name = _("Demanda: solicitudes de asistencia técnica")

    def ready(self) -> None:
        from apps.core.navigation import Item, register_nav, register_work
        from apps.demand import panels  # noqa: F401 - registers the municipality panel
        from apps.demand.permissions import can_file

        def territorial(user) -> bool:
            return (user.is_authenticated and not user.is_coordinator and user.organization_id is not None
                    and user.organization.is_territorial)

        def coordinator(user) -> bool:
            return user.is_authenticated and user.is_coordinator

        register_nav(Item(_("Mis solicitudes"), "demand:mine", order=20, visible=territorial))
        register_nav(Item(_("Solicitudes"), "demand:inbox", order=20, visible=coordinator))
        register_work(Item(_("Radicar una solicitud"), "demand:create", order=10,
                           help=_("Pida asistencia técnica en pocos minutos."), visible=can_file))
        register_work(Item(_("Mis solicitudes"), "demand:mine", order=11,
                           help=_("Siga el estado de lo que pidió y converse con el DNP."), visible=territorial))
        register_work(Item(_("Bandeja de solicitudes"), "demand:inbox", order=10,
                           help=_("Todas las solicitudes radicadas, con filtros y exportación."), visible=coordinator))
        register_work(Item(_("Resumen de la demanda"), "demand:summary", order=11,
                           help=_("Solicitudes por departamento y sector."), visible=coordinator))
