from django.core.management.base import BaseCommand
from django.db import transaction

from apps.surveys.definitions import load_definitions


class Command(BaseCommand):
    help = "Carga o actualiza las definiciones de las encuestas 2021 (idempotente)."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_definitions()
        self.stdout.write(self.style.SUCCESS(
            "Encuestas: {surveys}, preguntas: {questions}, opciones: {options}.".format(**counts)))
