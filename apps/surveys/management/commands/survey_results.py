import json

from django.core.management.base import BaseCommand, CommandError

from apps.surveys.models import Survey
from apps.surveys.selectors import UNITS, survey_results


class Command(BaseCommand):
    help = "Resultados de una encuesta según el contrato de resultados (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--unit", choices=UNITS, default="entity")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, slug, unit, **options):
        try:
            survey = Survey.objects.get(slug=slug)
        except Survey.DoesNotExist:
            raise CommandError(f"No existe la encuesta «{slug}».") from None
        results = survey_results(user=None, survey=survey, unit=unit)
        self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))
