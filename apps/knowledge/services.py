"""Everything that writes knowledge management; each helper keeps its own section."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.core.history import history_note
from apps.knowledge.activity import commitment_created_record, commitment_progress_record
from apps.knowledge.models import Commitment, CommitmentProgress, CommitmentStatus
from apps.knowledge.permissions_commitments import OPEN_STATUSES, can_create, can_update, move_allowed
from apps.territory.models import Department, Municipality

# --- Commitments ------------------------------------------------------------------------------

NOTE_MAX = 4000
TEXT_MAX = 2000
DUE_MIN, DUE_MAX = date(2000, 1, 1), date(2100, 12, 31)


def due_on_error(due_on: date | None) -> str | None:
    """Spanish message for a due date outside 2000-01-01..2100-12-31 (a typo such as 9999), or None."""
    if due_on is None or DUE_MIN <= due_on <= DUE_MAX:
        return None
    return _("La fecha límite debe estar entre el %(min)s y el %(max)s.") % {
        "min": date_format(DUE_MIN, "j \\d\\e F \\d\\e Y").lower(),
        "max": date_format(DUE_MAX, "j \\d\\e F \\d\\e Y").lower()}


def _validate_create(*, text: str, responsible: Organization | None, responsible_text: str,
                     municipality: Municipality | None, department: Department | None, event,
                     due_on: date | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if (due_error := due_on_error(due_on)) is not None:
        errors["due_on"] = [due_error]
    if not text:
        errors["text"] = [_("Escriba en qué consiste el compromiso.")]
    elif len(text) > TEXT_MAX:
        errors["text"] = [_("El compromiso no puede pasar de %(n)s caracteres.") % {"n": TEXT_MAX}]
    if responsible is None and not responsible_text:
        errors["responsible"] = [_("Indique quién es responsable del compromiso.")]
    if len(responsible_text) > 300:
        errors["responsible_text"] = [_("El responsable no puede pasar de 300 caracteres.")]
    if municipality is not None and department is not None and municipality.department_id != department.pk:
        errors["department"] = [_("El municipio no pertenece a ese departamento.")]
    if event is not None:
        municipalities = {m.pk for m in event.municipalities.all()}
        departments = {d.pk for d in event.departments.all()} | {m.department_id for m in event.municipalities.all()}
        if municipality is not None and municipality.pk not in municipalities:
            errors["municipality"] = [_("El municipio no es uno de los territorios de la jornada.")]
        elif municipality is None and department is not None and department.pk not in departments:
            errors["department"] = [_("El departamento no es uno de los territorios de la jornada.")]
        if responsible is not None and not _responsible_for_event(responsible, event):
            errors["responsible"] = [_("El responsable debe ser una entidad que prestó la jornada o uno de "
                                       "sus territorios.")]
    if errors:
        raise ValidationError(errors)


def _responsible_for_event(responsible: Organization, event) -> bool:
    if responsible.pk in {o.pk for o in event.providers.all()}:
        return True
    if responsible.municipality_id:
        return responsible.municipality_id in {m.pk for m in event.municipalities.all()}
    if responsible.kind == Organization.Kind.DEPARTMENT:
        return responsible.department_id in ({d.pk for d in event.departments.all()}
                                             | {m.department_id for m in event.municipalities.all()})
    return False


TWIN_WINDOW = timedelta(minutes=30)


def _recent_twin(*, user: User, text: str, responsible: Organization | None, workshop, event,
                 municipality: Municipality | None, department: Department | None) -> Commitment | None:
    """The same commitment recorded by the same person a moment ago, if any."""
    if not user.is_authenticated:
        return None
    return (Commitment.objects.filter(
        created_by=user, text=text, responsible=responsible, workshop=workshop, event=event,
        municipality=municipality, department=department, created_at__gte=timezone.now() - TWIN_WINDOW)
        .order_by("-id").first())


@transaction.atomic
def commitment_create(*, user: User, text: str, responsible: Organization | None = None,
                      responsible_text: str = "", due_on: date | None = None, workshop=None, event=None,
                      municipality: Municipality | None = None, department: Department | None = None,
                      note: str = "") -> Commitment:
    """Record a commitment (*pendiente*) and its first progress note; activity "commitment.created".

    Who may: see `permissions_commitments.can_create`. A jornada's commitment concerns one of its
    territories (its only one by default) and is the responsibility of a provider or a territory.
    """
    text = (text or "").strip()
    responsible_text = (responsible_text or "").strip()
    if not can_create(user, responsible=responsible, workshop=workshop, event=event):
        raise PermissionDenied(_("No puede registrar compromisos aquí."))
    if event is not None and municipality is None and department is None:
        municipalities, departments = list(event.municipalities.all()), list(event.departments.all())
        if len(municipalities) + len(departments) == 1:
            municipality = municipalities[0] if municipalities else None
            department = departments[0] if departments else None
    if municipality is not None and department is None:
        department = municipality.department
    _validate_create(text=text, responsible=responsible, responsible_text=responsible_text,
                     municipality=municipality, department=department, event=event, due_on=due_on)
    twin = _recent_twin(user=user, text=text, responsible=responsible, workshop=workshop, event=event,
                        municipality=municipality, department=department)
    if twin is not None:
        return twin  # a double click, or Back and submit again: the first one stands
    commitment = Commitment(text=text, responsible=responsible, responsible_text=responsible_text, due_on=due_on,
                            workshop=workshop, event=event, municipality=municipality, department=department,
                            created_by=user if user.is_authenticated else None)
    history_note(commitment, user=user, reason="creado")
    commitment.save()
    CommitmentProgress.objects.create(commitment=commitment, from_status="", to_status=commitment.status,
                                      note=(note or "").strip()[:NOTE_MAX] or _("Compromiso registrado."),
                                      actor=commitment.created_by)
    commitment_created_record(commitment=commitment)
    return commitment


class Unchanged(Exception):  # noqa: N818 - not an error: the caller skips the row
    """The update would change nothing (same status, note and due date as now): not written."""


def _status_label(value: str) -> str:
    return str(CommitmentStatus(value).label).lower()


@transaction.atomic
def commitment_update_status(*, user: User | None, commitment: Commitment, status: str, note: str,
                             import_key: str | None = None, due_on: date | None = None,
                             system: bool = False) -> CommitmentProgress | None:
    """Move a commitment (or only add a progress note) and write its dated note.

    A note is required. Allowed moves: `permissions_commitments.STATUS_MOVES`; who may:
    `can_update` (`system=True`: the reminders sweep, no person). `due_on`, when given, sets a new
    due date (an overdue commitment with a future date is no longer overdue once moved).
    `import_key` makes a spreadsheet row apply once: a key already used returns None, and so does
    a row whose status, note and due date equal the commitment's last progress note (`Unchanged`
    is raised instead when no import key is given). Activity "commitment.status".
    """
    note = (note or "").strip()
    if not system and (user is None or not can_update(user, commitment)):
        raise PermissionDenied(_("Solo la entidad responsable, el territorio del compromiso o la coordinación "
                                 "pueden actualizarlo."))
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": [_("Estado no válido. Use uno de: %(s)s.")
                                          % {"s": ", ".join(str(label).lower() for label in CommitmentStatus.labels)}]})
    if not note:
        raise ValidationError({"note": [_("Escriba una nota: qué se hizo o por qué cambia el estado.")]})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("La nota no puede pasar de %(n)s caracteres.") % {"n": NOTE_MAX}]})
    if (due_error := due_on_error(due_on)) is not None:
        raise ValidationError({"due_on": [due_error]})
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if import_key and CommitmentProgress.objects.filter(import_key=import_key).exists():
        return None
    if not move_allowed(locked.status, status):
        raise ValidationError({"status": [_("Un compromiso %(from)s no puede pasar a %(to)s.")
                                          % {"from": _status_label(locked.status), "to": _status_label(status)}]})
    new_due = due_on if due_on is not None else locked.due_on
    if status == CommitmentStatus.OVERDUE and new_due is not None and new_due >= timezone.localdate():
        raise ValidationError({"status": [_("Con la fecha límite en el futuro el compromiso no está vencido: "
                                            "elija pendiente o en curso.")]})
    last = locked.progress.order_by("-created_at", "-id").first()
    same = last is not None and last.to_status == status == locked.status and last.note == note
    if same and new_due == locked.due_on:
        if import_key:
            return None
        raise Unchanged
    previous = locked.status
    locked.status = status
    locked.due_on = new_due
    history_note(locked, user=user, reason=note[:100])
    locked.save(update_fields=["status", "due_on", "updated_at"])
    # Two imports of one file wait for each other on the row lock above, so the second finds the key.
    progress = CommitmentProgress.objects.create(
        commitment=locked, from_status=previous, to_status=status, note=note,
        actor=user if user is not None and user.is_authenticated else None, import_key=import_key or "")
    commitment.status, commitment.due_on = locked.status, locked.due_on
    commitment_progress_record(commitment=locked, progress=progress)
    return progress


def commitments_overdue_mark(*, today: date | None = None) -> list[Commitment]:
    """Move every open commitment whose due date has passed to *vencido*, with an automatic note."""
    today = today or timezone.localdate()
    moved = []
    ids = list(Commitment.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today).values_list("pk", flat=True))
    for commitment in Commitment.objects.filter(pk__in=ids).select_related("responsible", "municipality"):
        if commitment.due_on is None:
            continue
        note = _("Vencido automáticamente: la fecha límite (%(day)s) pasó sin que se marcara cumplido.") % {
            "day": date_format(commitment.due_on, "j \\d\\e F \\d\\e Y").lower()}
        try:
            progress = commitment_update_status(user=None, commitment=commitment, status=CommitmentStatus.OVERDUE,
                                                note=note, system=True)
        except (ValidationError, Unchanged):
            continue  # moved meanwhile by someone: their status stands
        if progress is not None:
            moved.append(commitment)
    return moved
