from django.core.management.base import BaseCommand
from django.db import transaction

from apps.territory.reference import load_reference_data


class Command(BaseCommand):
    help = "Carga (o actualiza) DIVIPOLA, entidades nacionales y sectores. Idempotente."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_reference_data()
        self.stdout.write(
            "Datos de referencia: {departments} departamentos, {municipalities} municipios, "
            "{entities} entidades nacionales, {sectors} sectores.".format(**counts)
        )
