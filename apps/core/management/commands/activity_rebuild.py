"""Backfill the territories' memory (`Activity`) from what is already stored.

Each app that writes activity rows may offer `rebuild()` in its `activity.py` (apps.demand,
apps.agenda, apps.offer, and the knowledge and monitoring apps when they add theirs); this command
calls every one. The rows are the ones the services write (same keys), so running it after the
services, or twice, changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core.models import Activity


def rebuilders() -> list:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps.") or find_spec(f"{config.name}.activity") is None:
            continue
        module = import_module(f"{config.name}.activity")
        if callable(getattr(module, "rebuild", None)):
            found.append(module.rebuild)
    return found


def activity_rebuild() -> int:
    """Write the missing activity rows; returns how many were added."""
    before = Activity.objects.count()
    for rebuild in rebuilders():
        with transaction.atomic():
            rebuild()
    return Activity.objects.count() - before


class Command(BaseCommand):
    help = "Reconstruye la memoria de los territorios (actividad) a partir de solicitudes, jornadas y servicios."

    def handle(self, *args, **options):
        added = activity_rebuild()
        self.stdout.write(f"Actividad: {added} registros nuevos.")
