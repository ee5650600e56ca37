"""Demo data for `make run`: people first, then each app's own `demo.py`, in a fixed order.

Idempotent: run it again and nothing is duplicated. A new app's demo is one more line in `DEMOS`.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import demo as accounts_demo
from apps.agenda import demo as agenda_demo
from apps.demand import demo as demand_demo
from apps.knowledge import demo_commitments, demo_practices, demo_workshops
from apps.monitoring import demo as monitoring_demo
from apps.offer import demo as offer_demo
from apps.surveys import demo as surveys_demo

# Order matters: offer needs the people, demand the offer, the agenda both; each `load()` returns
# lines to print.
DEMOS = [offer_demo, demand_demo, agenda_demo, monitoring_demo, surveys_demo, demo_commitments, demo_practices,
         demo_workshops]


class Command(BaseCommand):
    help = "Carga datos de demostración (personas, oferta, demanda, agenda, encuestas 2021) e imprime los accesos."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="Solo imprime los accesos de demostración.")

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = accounts_demo.load() or []
        for demo in DEMOS if not options["logins"] else []:
            with transaction.atomic():
                for line in demo.load() or []:
                    self.stdout.write(line)
        if not options["logins"]:
            # The timelines of `make run`: whatever the demos wrote without a service.
            call_command("activity_rebuild", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"\nAccesos de demostración (contraseña para todos: {accounts_demo.DEMO_PASSWORD}):"))
        for line in logins:
            self.stdout.write(line)
