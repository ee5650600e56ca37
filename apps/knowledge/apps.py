from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "apps.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from apps.knowledge import search

        search.install()  # SQLite: the accent-free text function the fallback search filters with
        from django.utils.translation import gettext_lazy as _

        from apps.core.navigation import Item, register_nav, register_work
        from apps.knowledge import panels_practices  # noqa: F401 - registers the territory and entity panels

        register_work(Item(_("Mis compromisos"), "knowledge:commitments_mine", order=30,
                           help=_("Lo que su organización o su territorio se comprometió a hacer, y su avance."),
                           visible=lambda user: user.is_authenticated and user.organization_id is not None))
        # One menu entry for the knowledge pages: the search links practices, guidelines and workshops.
        register_nav(Item(_("Conocimiento"), "knowledge:search", order=50))
        register_work(Item(_("Registrar un taller"), "knowledge:workshop_new", order=32,
                           help=_("Su árbol de problemas y de soluciones, los retos y los compromisos."),
                           visible=lambda user: user.is_authenticated and (user.is_coordinator
                                                                           or user.organization_id is not None)))
        from apps.knowledge.permissions_practices import can_author_guideline

        register_work(Item(_("Publicar una orientación"), "knowledge:guideline_create", order=33,
                           help=_("Guías, metodologías y lineamientos de su entidad, con sus versiones."),
                           visible=can_author_guideline))
        register_work(Item(_("Compartir una buena práctica"), "knowledge:practice_create", order=31,
                           help=_("Lo que su territorio o su entidad hizo y le sirvió a otros."),
                           visible=lambda user: user.is_authenticated and user.organization_id is not None))
