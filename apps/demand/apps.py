from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "apps.demand"
    label = "demand"
