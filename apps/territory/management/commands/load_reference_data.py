from django.core.management.base import BaseCommand
from django.db import transaction

from apps.territory.reference import load_reference_data


class Command(BaseCommand):
    help = ("Carga (o actualiza) DIVIPOLA, entidades nacionales, sectores y los talleres PATT de 2021. "
            "Idempotente.")

    def handle(self, *args, **options):
        from apps.knowledge.reference import load_workshops
        from apps.monitoring.definitions import load_followup_definitions

        with transaction.atomic():
            counts = load_reference_data()
            counts.update(load_workshops())
            load_followup_definitions()  # the follow-up surveys, if a flush emptied them (never overwritten)
        self.stdout.write(
            "Datos de referencia: {departments} departamentos, {municipalities} municipios, "
            "{entities} entidades nacionales, {sectors} sectores, {workshops} talleres PATT 2021 y el árbol de "
            "problemas de la política.".format(**counts)
        )
