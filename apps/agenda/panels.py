"""The agenda panels on the municipality, department and national-entity pages: their upcoming
events and the last ones delivered, as the visitor may see them (the published agenda for
everyone; more for the territory's and the entity's own people and for coordinators)."""

from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import Organization
from apps.agenda import selectors
from apps.agenda.models import Status
from apps.territory.models import Department, Municipality, NationalEntity
from apps.territory.panels import register

UPCOMING = 8
DELIVERED = 5


def _split(qs) -> dict:
    now = timezone.now()
    upcoming = list(qs.filter(ends_at__gte=now).exclude(status=Status.CANCELLED)[:UPCOMING])
    delivered = list(qs.filter(status=Status.DONE, ends_at__lt=now).order_by("-starts_at", "-id")[:DELIVERED])
    return {"upcoming": upcoming, "delivered": delivered}


@register("municipality")
def municipality_agenda(request: HttpRequest, municipality: Municipality) -> tuple[str, dict]:
    qs = selectors.territory_events(user=request.user, municipality=municipality)
    return "agenda/_panel.html", {**_split(qs), "kind": "municipality", "code": municipality.code}


@register("department")
def department_agenda(request: HttpRequest, department: Department) -> tuple[str, dict]:
    qs = selectors.territory_events(user=request.user, department=department)
    return "agenda/_panel.html", {**_split(qs), "kind": "department", "code": department.code}


@register("entity")
def entity_agenda(request: HttpRequest, entity: NationalEntity) -> tuple[str, dict] | None:
    org = Organization.objects.filter(national_entity=entity).first()
    if org is None:
        return None
    qs = selectors.organization_events(user=request.user, organization=org)
    return "agenda/_panel.html", {**_split(qs), "kind": "entity", "organization": org}
