from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import users_import_csv


class Command(BaseCommand):
    help = "Importa personas desde un CSV (email, organization, role, full_name, password). Todo o nada."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        result = users_import_csv(actor=None, content=Path(opts["file"]).read_bytes(), dry_run=opts["dry_run"])
        for line, reason in result.errors:
            self.stderr.write(f"Línea {line}: {reason}")
        if result.errors:
            raise CommandError("No se importó nadie: corrija las líneas anteriores.")
        verb = "Se importarían" if opts["dry_run"] else "Importadas"
        self.stdout.write(f"{verb} {len(result.created)} personas.")
