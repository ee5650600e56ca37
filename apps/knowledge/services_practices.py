"""Everything that writes good practices, lessons learned and guidelines.

Each function runs in one transaction, checks `permissions_practices`, keeps history
(simple_history, with who and why) and writes the territory's memory
(`apps.core.activity.record`): "practice.published" when a practice or lesson is first published,
"guideline.published" for each published version of a guideline. A double submit (the same title
by the same organisation within `REPLAY_MINUTES`, or the same file as the latest version) returns
what the first one wrote, marked `replayed`.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.core.activity import record
from apps.core.history import history_note
from apps.core.models import Activity
from apps.core.uploads import BadFile
from apps.core.vocabulary import Capacity, MunicipalCategory
from apps.knowledge.files import check_guideline_file
from apps.knowledge.models import Guideline, GuidelineVersion, Practice
from apps.knowledge.permissions_practices import (
    can_author_guideline,
    can_author_practice,
    can_edit_guideline,
    can_edit_practice,
)

REPLAY_MINUTES = 30
PRACTICE_FIELDS = ("kind", "title", "what", "result", "evidence", "evidence_url", "sector", "capacity", "topics",
                   "municipality", "department", "contact_name", "contact_email", "contact_phone", "published")
PRACTICE_M2M = ("events", "services", "needs")
GUIDELINE_FIELDS = ("kind", "title", "summary", "capacities", "categories", "published")
GUIDELINE_M2M = ("sectors", "services")


# --- Practices -------------------------------------------------------------------------------------


def _practice_territory(user: User, data: dict) -> None:
    """A territory's editors write about their own territory; others say where it happened."""
    org = user.organization
    municipality, department = data.get("municipality"), data.get("department")
    if not user.is_coordinator and org is not None and org.kind == Organization.Kind.MUNICIPALITY:
        municipality, department = org.municipality, None
    elif not user.is_coordinator and org is not None and org.kind == Organization.Kind.DEPARTMENT:
        department = org.department
        if municipality is not None and municipality.department_id != org.department_id:
            raise ValidationError({"municipality": _("El municipio debe ser de su departamento.")})
    if municipality is not None:
        department = municipality.department
    data["municipality"], data["department"] = municipality, department


def _check_links(user: User, data: dict) -> None:
    """Links only to what this person may open: no one attaches a practice to another territory's need."""
    from apps.agenda.permissions import event_visible_q
    from apps.demand.models import Need
    from apps.demand.permissions import need_scope
    from apps.offer.permissions import service_visible_q

    rules = {"needs": need_scope, "events": event_visible_q, "services": service_visible_q}
    errors = {}
    for name, rule in rules.items():
        items = list(data.get(name) or [])
        if not items:
            continue
        model = type(items[0])
        allowed = set(model.objects.filter(rule(user), pk__in=[i.pk for i in items]).values_list("pk", flat=True))
        if name == "needs":
            allowed &= set(Need.objects.exclude(status="borrador").filter(pk__in=allowed).values_list("pk", flat=True))
        if missing := [str(i.pk) for i in items if i.pk not in allowed]:
            errors[name] = [_("No encontrados: %(ids)s.") % {"ids": ", ".join(missing)}]
    if errors:
        raise ValidationError(errors)


def _validate_practice(data: dict) -> None:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = [_("Escriba un título.")]
    if not (data.get("what") or "").strip():
        errors["what"] = [_("Cuente qué se hizo.")]
    if data.get("kind") and data["kind"] not in Practice.Kind.values:
        errors["kind"] = [_("Elija buena práctica o lección aprendida.")]
    if data.get("capacity") and data["capacity"] not in Capacity.values:
        errors["capacity"] = [_("Capacidad desconocida.")]
    if errors:
        raise ValidationError(errors)


def _practice_published_record(practice: Practice, user: User) -> None:
    title = (_("Lección aprendida publicada: %(title)s") if practice.kind == Practice.Kind.LESSON
             else _("Buena práctica publicada: %(title)s")) % {"title": practice.title}
    record(key=f"knowledge:practice:{practice.pk}:published", kind="practice.published", title=title,
           text=practice.what[:500], link=practice.get_absolute_url(), municipality=practice.municipality,
           department=practice.department, organization=practice.organization, actor=user,
           data={"practice": practice.pk, "kind": practice.kind, "sector": practice.sector_id or "",
                 "capacity": practice.capacity})


@transaction.atomic
def practice_create(*, user: User, data: dict) -> Practice:
    """Write a practice or lesson for the user's organisation (see the permissions module).

    `data`: PRACTICE_FIELDS (model instances for sector and territory) and the lists `events`,
    `services`, `needs`. Raises ValidationError (Spanish, per field) or PermissionDenied.
    """
    if not can_author_practice(user):
        raise PermissionDenied(_("No puede publicar buenas prácticas."))
    data = dict(data)
    _validate_practice(data)
    _practice_territory(user, data)
    _check_links(user, data)
    # Two quick submits of one new practice: the second waits here on the organisation's row until
    # the first commits, then finds it below as a replay instead of publishing a twin.
    if user.organization is not None:
        Organization.objects.select_for_update().get(pk=user.organization.pk)
    recent = Practice.objects.filter(
        created_by=user, title=data["title"].strip(), kind=data.get("kind") or Practice.Kind.PRACTICE,
        created_at__gte=timezone.now() - timedelta(minutes=REPLAY_MINUTES)).first()
    if recent is not None:
        recent.replayed = True
        return recent
    practice = Practice(organization=user.organization, created_by=user,
                        **{f: data[f] for f in PRACTICE_FIELDS if data.get(f) is not None})
    practice.title = practice.title.strip()
    history_note(practice, user=user, reason=_("Registrada"))
    practice.full_clean(exclude=["organization", "sector", "municipality", "department", "created_by"])
    practice.save()
    for name in PRACTICE_M2M:
        if data.get(name):
            getattr(practice, name).set(data[name])
    if practice.published:
        _practice_published_record(practice, user)
    practice.replayed = False
    return practice


@transaction.atomic
def practice_update(*, user: User, practice: Practice, data: dict) -> Practice:
    """Change a practice's fields and links (keys absent stay); first publication is recorded."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if not can_edit_practice(user, practice):
        raise PermissionDenied(_("No puede modificar esta buena práctica."))
    merged = {f: data.get(f, getattr(practice, f)) for f in PRACTICE_FIELDS}
    _validate_practice(merged)
    if "municipality" in data or "department" in data:
        _practice_territory(user, merged)
    else:
        merged["municipality"], merged["department"] = practice.municipality, practice.department
    _check_links(user, {k: v for k, v in data.items() if k in PRACTICE_M2M})
    was_published = practice.published
    changed = [f for f in PRACTICE_FIELDS if getattr(practice, f) != merged[f] and merged[f] is not None]
    for name in changed:
        setattr(practice, name, merged[name])
    if changed:
        history_note(practice, user=user, reason=_("Editada"))
        practice.full_clean(exclude=["organization", "sector", "municipality", "department", "created_by"])
        practice.save(update_fields=[*changed, "updated_at"])
    for name in PRACTICE_M2M:
        if name in data:
            getattr(practice, name).set(data[name] or [])
    if practice.published and not was_published:
        _practice_published_record(practice, user)
    if practice.published != was_published:  # withdrawn: its row leaves the public timelines (and comes back)
        Activity.objects.filter(key=f"knowledge:practice:{practice.pk}:published").update(public=practice.published)
    return practice


# --- Guidelines ------------------------------------------------------------------------------------


def _validate_guideline(data: dict) -> None:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = [_("Escriba un título.")]
    if data.get("kind") and data["kind"] not in Guideline.Kind.values:
        errors["kind"] = [_("Elija guía, metodología o lineamiento.")]
    if wrong := [c for c in data.get("capacities") or [] if c not in Capacity.values]:
        errors["capacities"] = [_("Capacidad desconocida: %(v)s.") % {"v": ", ".join(map(str, wrong))}]
    if wrong := [c for c in data.get("categories") or [] if c not in MunicipalCategory.values]:
        errors["categories"] = [_("Categoría desconocida: %(v)s.") % {"v": ", ".join(map(str, wrong))}]
    if errors:
        raise ValidationError(errors)


def _check_services(user: User, organization: Organization, services: Iterable) -> None:
    """A guideline is shown on the pages of the services it names: only its own organisation's."""
    if user.is_coordinator:
        return
    if foreign := [s.name for s in services or [] if s.organization_id != organization.pk]:
        raise ValidationError({"services": [_("Estos servicios no son de su entidad: %(names)s.")
                                            % {"names": ", ".join(foreign)}]})


def _version_record(guideline: Guideline, version: GuidelineVersion, user: User) -> None:
    title = (_("Orientación publicada: %(title)s") if version.number == 1
             else _("Nueva versión (%(number)s) de la orientación: %(title)s")) % {
        "title": guideline.title, "number": version.number}
    record(key=f"knowledge:guideline:{guideline.pk}:v{version.number}:published", kind="guideline.published",
           title=title, text=version.notes[:500], link=guideline.get_absolute_url(),
           organization=guideline.organization, actor=user,
           data={"guideline": guideline.pk, "version": version.number, "kind": guideline.kind,
                 "capacities": guideline.capacities, "categories": guideline.categories})


def _add_version(guideline: Guideline, upload, *, user: User, notes: str, number: int) -> GuidelineVersion:
    try:
        checked = check_guideline_file(upload)
    except BadFile as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    version = GuidelineVersion(guideline=guideline, number=number, file_name=checked.display_name,
                               content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                               notes=(notes or "").strip(), uploaded_by=user)
    version.file.save(checked.storage_name, checked.content, save=False)
    version.save()
    return version


@transaction.atomic
def guideline_create(*, user: User, data: dict, upload, notes: str = "") -> Guideline:
    """Publish a guideline of the user's organisation with its first file (version 1).

    `data`: GUIDELINE_FIELDS and the lists `sectors`, `services` (the organisation's own).
    """
    if not can_author_guideline(user):
        raise PermissionDenied(_("Solo las entidades nacionales, los departamentos y el DNP publican orientaciones."))
    data = dict(data)
    _validate_guideline(data)
    organization = user.organization
    if organization is None:
        raise PermissionDenied(_("Su cuenta no pertenece a ninguna entidad."))
    _check_services(user, organization, data.get("services") or [])
    if upload is None:
        raise ValidationError({"file": [_("Adjunte el archivo de la orientación.")]})
    # Two quick submits of one new guideline: the second waits here on the organisation's row until
    # the first commits, then finds it below (READ COMMITTED reads it) instead of publishing a twin.
    Organization.objects.select_for_update().get(pk=organization.pk)
    recent = Guideline.objects.filter(
        created_by=user, organization=organization, title=data["title"].strip(),
        created_at__gte=timezone.now() - timedelta(minutes=REPLAY_MINUTES)).first()
    if recent is not None:
        recent.replayed = True
        return recent
    guideline = Guideline(organization=organization, created_by=user,
                          **{f: data[f] for f in GUIDELINE_FIELDS if data.get(f) is not None})
    guideline.title = guideline.title.strip()
    history_note(guideline, user=user, reason=_("Publicada"))
    guideline.save()
    for name in GUIDELINE_M2M:
        if data.get(name):
            getattr(guideline, name).set(data[name])
    version = _add_version(guideline, upload, user=user, notes=notes, number=1)
    if guideline.published:
        _version_record(guideline, version, user)
    guideline.replayed = False
    return guideline


@transaction.atomic
def guideline_update(*, user: User, guideline: Guideline, data: dict) -> Guideline:
    """Change a guideline's description, audiences and links (its files change by versions)."""
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if not can_edit_guideline(user, guideline):
        raise PermissionDenied(_("No puede modificar esta orientación."))
    merged = {f: data.get(f, getattr(guideline, f)) for f in GUIDELINE_FIELDS}
    _validate_guideline(merged)
    if "services" in data:
        _check_services(user, guideline.organization, data["services"])
    was_published = guideline.published
    changed = [f for f in GUIDELINE_FIELDS if getattr(guideline, f) != merged[f] and merged[f] is not None]
    for name in changed:
        setattr(guideline, name, merged[name])
    if changed:
        history_note(guideline, user=user, reason=_("Editada"))
        guideline.save(update_fields=[*changed, "updated_at"])
    for name in GUIDELINE_M2M:
        if name in data:
            getattr(guideline, name).set(data[name] or [])
    if guideline.published and not was_published:
        latest = guideline.versions.order_by("-number").first()
        if latest is not None:
            _version_record(guideline, latest, user)
    if guideline.published != was_published:  # withdrawn: its rows leave the public timelines (and come back)
        Activity.objects.filter(kind="guideline.published", key__startswith=f"knowledge:guideline:{guideline.pk}:v"
                                ).update(public=guideline.published)
    return guideline


@transaction.atomic
def guideline_version_add(*, user: User, guideline: Guideline, upload, notes: str = "") -> GuidelineVersion:
    """A new file for a guideline; the older versions stay readable and downloadable. The same
    file as the latest version (a double submit) adds nothing and returns that version."""
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if not can_edit_guideline(user, guideline):
        raise PermissionDenied(_("No puede modificar esta orientación."))
    if upload is None:
        raise ValidationError({"file": [_("Adjunte el archivo de la nueva versión.")]})
    latest = guideline.versions.order_by("-number").first()
    try:
        checked_sha = check_guideline_file(upload).sha256
    except BadFile as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    if latest is not None and latest.sha256 == checked_sha:
        latest.replayed = True
        return latest
    number = (guideline.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _add_version(guideline, upload, user=user, notes=notes, number=number)
    history_note(guideline, user=user, reason=_("Nueva versión %(n)s") % {"n": number})
    guideline.save(update_fields=["updated_at"])
    if guideline.published:
        _version_record(guideline, version, user)
    version.replayed = False
    return version
