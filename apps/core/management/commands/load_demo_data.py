"""Demo data for `make run`: people first, then each app's own `demo.py`, in a fixed order.

Idempotent: run it again and nothing is duplicated.
"""

from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_APPS = ["accounts", "offer", "demand", "agenda", "monitoring", "knowledge", "surveys"]


class Command(BaseCommand):
    help = "Carga datos de demostración (personas, oferta, demanda, encuestas 2021) e imprime los accesos."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="Solo imprime los accesos de demostración.")

    def handle(self, *args, **options):
        logins: list[str] = []
        for app in DEMO_APPS if not options["logins"] else ["accounts"]:
            if find_spec(f"apps.{app}.demo") is None:
                continue
            with transaction.atomic():
                lines = import_module(f"apps.{app}.demo").load() or []
            if app == "accounts":
                logins = lines
            else:
                for line in lines:
                    self.stdout.write(line)
        from apps.accounts.demo import DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS(f"\nAccesos de demostración (contraseña para todos: {DEMO_PASSWORD}):"))
        for line in logins:
            self.stdout.write(line)
