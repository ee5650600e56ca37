"""Writes for the offer catalogue: create, update, publish, archive. One transaction each.

Each service validates the invariants a form or serializer cannot see alone (availability,
owner, status transitions), saves with `update_fields` and leaves the change in the history
(simple_history, with the acting user).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.core.history import history_note
from apps.offer.activity import service_published_record
from apps.offer.models import SERVICE_FIELDS, Service
from apps.offer.permissions import OWNER_KINDS, can_author, can_edit_service
from apps.territory.models import Department, Sector

SCALAR_FIELDS = [f for f in SERVICE_FIELDS if f not in ("sectors", "departments")]


def service_validate(
    *, organization: Organization, data: dict[str, Any], sectors: list[Sector], departments: list[Department]
) -> None:
    """Raise ValidationError({field: [message]}) with every broken rule, in Spanish."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if organization.kind not in OWNER_KINDS:
        add("__all__", _("Solo las entidades nacionales, las gobernaciones y el DNP publican oferta."))
    if not sectors:
        add("sectors", _("Elija al menos un sector."))
    if not data.get("capacities"):
        add("capacities", _("Elija al menos una capacidad que el servicio fortalece."))
    if not data.get("audience"):
        add("audience", _("Indique a quién va dirigido: municipios, departamentos o ambos."))
    if organization.kind == Organization.Kind.DEPARTMENT:
        if data.get("nationwide") or any(d.code != organization.department_id for d in departments):
            add("departments", _("Una gobernación ofrece sus servicios solo en su propio departamento."))
    elif not data.get("nationwide") and not departments:
        add("departments", _("Elija al menos un departamento o marque «disponible en todo el país»."))
    start, end = data.get("valid_from"), data.get("valid_until")
    if start and end and end < start:
        add("valid_until", _("La fecha final de vigencia no puede ser anterior a la inicial."))
    if errors:
        raise ValidationError(errors)


def _check_fields(service: Service, fields) -> None:
    """The model fields' own validators (choices, lengths, `validate_links` …) for every writer,
    not only the form: the API and any future caller get the same refusals."""
    exclude = [f.name for f in Service._meta.concrete_fields if f.name not in set(fields)]
    service.clean_fields(exclude=exclude)


def _department_scope(organization: Organization, data: dict, departments: list[Department]) -> list[Department]:
    """A department's own services are always available exactly in that department."""
    if organization.kind == Organization.Kind.DEPARTMENT and not departments and not data.get("nationwide"):
        return list(Department.objects.filter(code=organization.department_id))
    return departments


@transaction.atomic
def service_create(
    *, user: User, data: dict[str, Any], sectors: list[Sector], departments: list[Department],
    organization: Organization | None = None,
) -> Service:
    """A new draft for the user's organisation (PermissionDenied for anyone who may not author)."""
    if not can_author(user):
        raise PermissionDenied
    organization = organization or user.organization
    if organization is None or organization.pk != user.organization_id:
        raise PermissionDenied
    data = {k: v for k, v in data.items() if k in SCALAR_FIELDS}
    if organization.kind == Organization.Kind.DEPARTMENT:
        data["nationwide"] = False
    departments = _department_scope(organization, data, departments)
    service_validate(organization=organization, data=data, sectors=sectors, departments=departments)
    service = Service(organization=organization, status=Service.Status.DRAFT, **data)
    _check_fields(service, data)
    history_note(service, user=user)
    service.save()
    service.sectors.set(sectors)
    service.departments.set([] if data.get("nationwide") else departments)
    return service


@transaction.atomic
def service_update(
    *, user: User, service: Service, data: dict[str, Any], sectors: list[Sector] | None = None,
    departments: list[Department] | None = None,
) -> Service:
    """Change the given fields (and, when given, sectors and departments) of a service the user owns."""
    if not can_edit_service(user, service):
        raise PermissionDenied
    data = {k: v for k, v in data.items() if k in SCALAR_FIELDS}
    if service.organization.kind == Organization.Kind.DEPARTMENT:
        data["nationwide"] = False
    merged = {f: getattr(service, f) for f in SCALAR_FIELDS} | data
    sectors = list(service.sectors.all()) if sectors is None else sectors
    departments = list(service.departments.all()) if departments is None else departments
    departments = _department_scope(service.organization, merged, departments)
    service_validate(organization=service.organization, data=merged, sectors=sectors, departments=departments)
    # Compare with the stored row: a ModelForm has already copied its data onto `service`.
    stored = Service.objects.filter(pk=service.pk).values(*data).get() if data else {}
    changed = [f for f, v in data.items() if stored[f] != v]
    for field in changed:
        setattr(service, field, data[field])
    _check_fields(service, changed)
    history_note(service, user=user)
    service.save(update_fields=changed)
    if {s.pk for s in service.sectors.all()} != {s.pk for s in sectors}:
        service.sectors.set(sectors)
    wanted = [] if merged.get("nationwide") else departments
    if {d.pk for d in service.departments.all()} != {d.pk for d in wanted}:
        service.departments.set(wanted)
    return service


@transaction.atomic
def service_transition(*, user: User, service: Service, status: str) -> Service:
    """Move a service along `Service.TRANSITIONS`; publishing stamps `published_at`."""
    if not can_edit_service(user, service):
        raise PermissionDenied
    # Lock the row so two editors clicking at once cannot both move it.
    service = Service.objects.select_for_update().select_related("organization").get(pk=service.pk)
    if not service.can_move_to(status):
        raise ValidationError(
            _("Un servicio en estado «%(from)s» no puede pasar a «%(to)s».")
            % {"from": service.get_status_display(), "to": Service.Status(status).label}
        )
    fields = ["status"]
    if status == Service.Status.PUBLISHED:
        if service.valid_until and service.valid_until < timezone.localdate():
            raise ValidationError(_("La vigencia del servicio ya terminó: actualice las fechas antes de publicarlo."))
        service.published_at = timezone.now()
        fields.append("published_at")
    service.status = status
    history_note(service, user=user)
    service.save(update_fields=fields)
    if status == Service.Status.PUBLISHED:
        service_published_record(service=service)
    return service


@transaction.atomic
def service_delete(*, user: User, service: Service) -> None:
    """Delete a draft of the user's organisation (the history keeps it, with who deleted it).

    Published and archived services are never deleted: the catalogue and requests may point to them.
    """
    if not can_edit_service(user, service):
        raise PermissionDenied
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.status != Service.Status.DRAFT:
        raise ValidationError(_("Solo se pueden eliminar los borradores; archive el servicio en su lugar."))
    history_note(service, user=user)
    service.delete()


def service_publish(*, user: User, service: Service) -> Service:
    return service_transition(user=user, service=service, status=Service.Status.PUBLISHED)
