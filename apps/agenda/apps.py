from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "apps.agenda"
    label = "agenda"
