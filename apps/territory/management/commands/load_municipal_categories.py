from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.uploads import BadFile
from apps.territory.categories import municipal_categories_load


class Command(BaseCommand):
    help = ("Carga la categoría municipal (Ley 617 de 2000) y las marcas PDET y ZOMAC desde un .xlsx o .csv con "
            "columnas codigo, categoria[, pdet, zomac]. Una fila errada no cambia nada.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True,
                            help="De dónde vienen los datos, p. ej. «Contaduría General de la Nación, Res. 2025».")
        parser.add_argument("--dry-run", action="store_true", help="Solo revisa el archivo; no guarda.")

    def handle(self, *args, file: Path, source: str, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(f"No existe el archivo {file}.")
        try:
            result = municipal_categories_load(path=file, source=source, dry_run=dry_run)
        except BadFile as exc:
            raise CommandError(str(exc)) from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} filas con errores; no se cambió nada.")
        verb = "cambiarían" if dry_run else "cambiaron"
        self.stdout.write(f"Categorías municipales: {result.changed} municipios {verb}, {result.unchanged} iguales.")
