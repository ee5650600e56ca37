from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.services import organization_resolve, user_create


class Command(BaseCommand):
    help = "Crea una persona: --organization es un código DIVIPOLA (25001, 25), una sigla o DNP."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--organization", required=True)
        parser.add_argument("--role", required=True, choices=["editor", "coordinator", "admin"])
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts):
        try:
            with transaction.atomic():
                user = user_create(
                    actor=None,  # the system: whoever runs the server may grant any role
                    email=opts["email"], password=opts["password"],
                    organization=organization_resolve(opts["organization"]),
                    role=opts["role"], full_name=opts["name"],
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Creado {user.email} ({user.get_role_display()}) en {user.organization}.")
