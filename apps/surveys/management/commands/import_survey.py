from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.surveys.models import Survey
from apps.surveys.reader import BadFile
from apps.surveys.services import survey_import_file


class Command(BaseCommand):
    help = "Importa la exportación (XLSX o CSV) de una encuesta; --dry-run solo muestra la vista previa."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="No escribe nada; muestra lo que haría.")

    def handle(self, *args, slug, file, dry_run, **options):
        try:
            survey = Survey.objects.select_related("current_batch").get(slug=slug)
        except Survey.DoesNotExist:
            raise CommandError(f"No existe la encuesta «{slug}».") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No existe el archivo «{file}».")
        try:
            outcome = survey_import_file(survey=survey, path=path, dry_run=dry_run)
        except BadFile as exc:
            raise CommandError(str(exc)) from None
        result = outcome.result
        if result is None:
            self.stdout.write("Este archivo ya está importado: no cambió nada.")
            return
        self.stdout.write(f"Filas aceptadas: {len(result.accepted)} ({result.respondents} entidades)")
        self.stdout.write(f"Filas rechazadas: {len(result.rejected)}")
        for row in result.rejected:
            self.stdout.write(f"  fila {row.row_number}: {row.reason}")
        if dry_run:
            note = " (ya importado: confirmar no cambiaría nada)" if outcome.unchanged else ""
            self.stdout.write(f"Vista previa: no se escribió nada{note}.")
        elif outcome.unchanged:
            self.stdout.write("Este archivo ya está importado: no cambió nada.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Importación {outcome.batch.pk} terminada."))
