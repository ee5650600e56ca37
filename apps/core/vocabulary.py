"""The vocabulary every capability shares, so needs, services, events and indicators match.

Capacities and modalities come from the PATT (CONPES 3822 and the 2021 survey); municipal
categories from Ley 617 de 2000.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Capacity(models.TextChoices):
    PLANNING = "planeacion", _("Planeación")
    MANAGEMENT = "gestion", _("Gestión")
    EXECUTION = "ejecucion", _("Ejecución")
    ORGANIZATIONAL = "organizacional", _("Organizacional")
    TECHNICAL = "tecnica", _("Técnica")


class Modality(models.TextChoices):
    ONSITE = "presencial", _("Presencial")
    VIRTUAL = "virtual", _("Virtual")
    MIXED = "mixta", _("Mixta")


class MunicipalCategory(models.TextChoices):
    SPECIAL = "especial", _("Especial")
    C1 = "1", _("Primera")
    C2 = "2", _("Segunda")
    C3 = "3", _("Tercera")
    C4 = "4", _("Cuarta")
    C5 = "5", _("Quinta")
    C6 = "6", _("Sexta")
