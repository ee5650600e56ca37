"""Panels on the national-entity and department pages: the services they offer."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from apps.accounts.models import Organization
from apps.offer.permissions import can_edit_service
from apps.offer.selectors import organization_services, service_list
from apps.territory.models import Department, Municipality, NationalEntity
from apps.territory.panels import register


def _panel(request: HttpRequest, organization: Organization | None, extra: dict) -> tuple[str, dict]:
    services = list(organization_services(user=request.user, organization=organization)) if organization else []
    return "offer/_panel.html", {
        "organization": organization, "services": services,
        "can_edit": bool(services) and can_edit_service(request.user, services[0]), **extra,
    }


@register("entity")
def entity_services(request: HttpRequest, entity: NationalEntity) -> tuple[str, dict]:
    org = Organization.objects.filter(national_entity=entity).first()
    return _panel(request, org, {"title_kind": "entity"})


@register("department")
def department_services(request: HttpRequest, department: Department) -> tuple[str, dict]:
    org = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, department=department).first()
    return _panel(request, org, {"title_kind": "department", "department": department})


@register("municipality")
def municipality_offer(request: HttpRequest, municipality: Municipality) -> tuple[str, dict]:
    """How much published offer reaches this municipality's department, with the way in."""
    department = municipality.department
    available = service_list(user=AnonymousUser(), filters={"department": department.code}).count()
    return "offer/_municipality_panel.html", {"department": department, "available": available}
