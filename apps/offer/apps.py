from django.apps import AppConfig


class OfferConfig(AppConfig):
    name = "apps.offer"
    label = "offer"
