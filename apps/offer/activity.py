"""What publishing a service leaves in its organisation's memory (`apps.core.activity`).

One row per publication, keyed by the service and the moment it was published (`published_at`),
so a retried service writes it once, a later re-publication (after archiving) writes a new row and
`activity_rebuild` writes the same row from the stored services. Only the organisation's timeline:
a service belongs to no territory.
"""

from datetime import UTC

from django.utils.translation import gettext as _

from apps.core.activity import record
from apps.offer.models import Service


def service_published_record(*, service: Service) -> None:
    if service.published_at is None:
        return
    stamp = service.published_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    record(key=f"offer:service:{service.pk}:published:{stamp}", kind="service.published",
           title=_("Servicio publicado: %(name)s") % {"name": service.name}, text=service.summary,
           link=service.get_absolute_url(), organization=service.organization,
           occurred_at=service.published_at, data={"service": service.pk})


def rebuild() -> None:
    services = Service.objects.filter(published_at__isnull=False).select_related("organization").order_by("id")
    for service in services.iterator(chunk_size=500):
        service_published_record(service=service)
