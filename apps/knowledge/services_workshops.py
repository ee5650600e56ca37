"""Everything that writes workshops (talleres): recording one, editing it, its tree, challenges and
commitments.

`data` is what the form or the API parsed (plain values, see `workshop_create`); organisations are
typed by name, acronym or DIVIPOLA code and resolved here. Commitments are written through the
commitments' own service (`apps.knowledge.services.commitment_create`), so they are followed and
reminded like any other. A workshop held in a territory writes the territory's memory
("workshop.recorded"). History: simple_history on `Workshop`; a changed tree is noted in it.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.accounts.models import Organization, User
from apps.accounts.services import organization_resolve
from apps.core.activity import record
from apps.core.history import history_note
from apps.core.text import normalize
from apps.knowledge.models import Challenge, TreeNode, Workshop
from apps.knowledge.permissions_workshops import can_edit_workshop, can_record_workshop, territory_allowed
from apps.knowledge.trees import KIND_FIELD, tree_build
from apps.territory.models import Department, NationalEntity

FIELDS = ("title", "held_on", "place", "organizers", "participants", "participants_count", "objective",
          "central_problem", "central_objective", "summary", "municipality", "department")
TEXT_LIMITS = {"title": 200, "place": 200}
REPLAY_WINDOW = timedelta(minutes=30)
MAX_COUNT = 100_000


# --- Organisations typed by people ---------------------------------------------------------------

def organization_from_text(text: str) -> Organization | None:
    """The organisation a person typed: an entity's acronym or name, "DNP", a DIVIPOLA code, a
    department's name, or an existing organisation's exact name. None when it names none (the
    caller keeps the text). May create the organisation row (organisations exist on first use)."""
    text = " ".join((text or "").split())
    if not text or len(text) > 200:
        return None
    try:
        if text.upper() == "DNP" or text.isdigit() or NationalEntity.objects.filter(acronym__iexact=text).exists():
            return organization_resolve(text)
    except ValidationError:
        return None
    found = Organization.objects.filter(name__iexact=text).first()
    if found is not None:
        return found
    if text.endswith(")") and "(" in text:  # "Departamento Nacional de Planeación (DNP)": an acronym only
        acronym = text[text.rindex("(") + 1:-1].strip()
        if acronym.upper() == "DNP" or NationalEntity.objects.filter(acronym__iexact=acronym).exists():
            return organization_resolve(acronym)
    wanted = normalize(text)
    for acronym, name in NationalEntity.objects.values_list("acronym", "name"):
        if normalize(name) == wanted:
            return organization_resolve(acronym)
    for code, name, display in Department.objects.values_list("code", "name", "display_name"):
        if wanted in {normalize(name), normalize(display), normalize(f"Gobernación de {display}")}:
            return organization_resolve(code)
    return None


def _organizers(lines: list[str]) -> tuple[list[Organization], str]:
    """Typed organiser lines → the organisations found and the text of all of them, as typed."""
    found: list[Organization] = []
    names = []
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        names.append(line)
        org = organization_from_text(line)
        if org is not None and org not in found:
            found.append(org)
    return found, "\n".join(names)


# --- Validation ------------------------------------------------------------------------------------

def _validate(*, user: User, values: dict, data: dict) -> None:
    errors: dict[str, list[str]] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = [_("Escriba el nombre del taller.")]
    for name, limit in TEXT_LIMITS.items():
        if len(values.get(name) or "") > limit:
            errors[name] = [_("Escriba como máximo %(n)d caracteres.") % {"n": limit}]
    if values.get("held_on") is None:
        errors["held_on"] = [_("Indique la fecha del taller.")]
    elif values["held_on"] > timezone.localdate() + timedelta(days=366):
        errors["held_on"] = [_("La fecha está a más de un año: revísela.")]
    count = values.get("participants_count")
    if count is not None and not 0 <= count <= MAX_COUNT:
        errors["participants_count"] = [_("Escriba un número entre 0 y %(n)d.") % {"n": MAX_COUNT}]
    municipality, department = values.get("municipality"), values.get("department")
    if municipality is not None and department is not None and municipality.department_id != department.pk:
        errors["municipality"] = [_("El municipio no pertenece a ese departamento.")]
    elif not territory_allowed(user, municipality=municipality, department=department):
        errors["municipality"] = [_("Solo puede registrar talleres de su propio territorio.")]
    tree = data.get("tree")
    if tree is not None and data.get("answers_in_order"):
        causes, objectives = tree.get("causes") or [], tree.get("objectives") or []
        if objectives and len(causes) != len(objectives):
            errors["objectives"] = [_("Para que cada objetivo responda a la causa del mismo número escriba "
                                      "tantos objetivos (%(o)d) como causas directas (%(c)d).")
                                    % {"o": len(objectives), "c": len(causes)}]
    if tree is not None:
        causes = len(tree.get("causes") or [])
        wrong = [o.get("answers") for o in tree.get("objectives") or []
                 if o.get("answers") is not None and not 1 <= o["answers"] <= causes]
        if wrong:
            errors["objectives"] = [_("Un objetivo responde a la causa %(n)s, que no existe.") % {"n": wrong[0]}]
    rows = []
    for number, item in enumerate(data.get("commitments") or [], start=1):
        text, who = (item.get("text") or "").strip(), (item.get("responsible") or "").strip()
        if text and not who:
            rows.append(_("Compromiso %(n)d: indique quién es responsable.") % {"n": number})
        elif who and not text:
            rows.append(_("Compromiso %(n)d: escriba en qué consiste.") % {"n": number})
        elif len(who) > 300:
            rows.append(_("Compromiso %(n)d: el responsable pasa de 300 caracteres.") % {"n": number})
    if rows:
        errors["commitments"] = rows
    if errors:
        raise ValidationError(errors)


# --- The tree --------------------------------------------------------------------------------------

def _tree_shape(tree: dict) -> dict:
    """A tree (input dicts) reduced to what is stored, to compare it with the stored one."""
    def strip(items, kind):
        return [{"text": i["text"], "answers": i.get("answers") if kind == "objectives" else None,
                 "children": strip(i.get("children") or [], "")} for i in items]
    return {kind: strip(tree.get(kind) or [], kind) for kind in KIND_FIELD.values()}


def _stored_shape(workshop: Workshop) -> dict:
    tree = tree_build(workshop.tree_nodes.all())

    def strip(branches, kind):
        return [{"text": b.text, "answers": tree.answered_cause(b) if kind == "objectives" else None,
                 "children": strip(b.children, "")} for b in branches]
    return {kind: strip(getattr(tree, kind), kind) for kind in KIND_FIELD.values()}


def tree_write(workshop: Workshop, tree: dict, *, answers_in_order: bool = False) -> int:
    """Replace the workshop's tree: `tree` maps "causes", "effects", "objectives", "actions" to
    nested dicts ({"text", "children", "unclear"?, "answers"?: number of the direct cause}).
    Children are of the same kind, except an objective's, which are its actions. Returns the
    number of nodes written."""
    workshop.tree_nodes.all().delete()
    written = 0
    causes: list[TreeNode] = []

    def write(items: list[dict], kind: str, parent: TreeNode | None) -> list[TreeNode]:
        nonlocal written
        out = []
        for position, item in enumerate(items, start=1):
            node = TreeNode.objects.create(workshop=workshop, parent=parent, kind=kind, text=item["text"].strip(),
                                           position=position, unclear=bool(item.get("unclear")))
            written += 1
            child_kind = TreeNode.Kind.ACTION if kind == TreeNode.Kind.OBJECTIVE else kind
            write(item.get("children") or [], child_kind, node)
            out.append(node)
        return out

    causes = write(tree.get("causes") or [], TreeNode.Kind.CAUSE, None)
    write(tree.get("effects") or [], TreeNode.Kind.EFFECT, None)
    objectives = write(tree.get("objectives") or [], TreeNode.Kind.OBJECTIVE, None)
    write(tree.get("actions") or [], TreeNode.Kind.ACTION, None)
    for index, (node, item) in enumerate(zip(objectives, tree.get("objectives") or [], strict=True)):
        number = index + 1 if answers_in_order else item.get("answers")
        if number and 1 <= number <= len(causes):
            node.answers = causes[number - 1]
            node.save(update_fields=["answers"])
    return written


def _challenges_write(workshop: Workshop, challenges: list[str]) -> bool:
    current = list(workshop.challenges.values_list("text", flat=True))
    wanted = [c.strip() for c in challenges if c.strip()]
    if current == wanted:
        return False
    workshop.challenges.all().delete()
    Challenge.objects.bulk_create([Challenge(workshop=workshop, text=text, position=n)
                                   for n, text in enumerate(wanted, start=1)])
    return True


def _commitments_write(*, user: User, workshop: Workshop, commitments: list[dict]) -> list:
    from apps.knowledge.services import commitment_create

    created = []
    for number, item in enumerate(commitments, start=1):
        text = (item.get("text") or "").strip()
        if not text:
            continue
        who = (item.get("responsible") or "").strip()
        org = item.get("responsible_organization") or organization_from_text(who)
        try:
            created.append(commitment_create(
                user=user, text=text, responsible=org, responsible_text="" if org is not None else who,
                due_on=item.get("due_on"), workshop=workshop, municipality=workshop.municipality,
                department=workshop.department))
        except ValidationError as exc:
            messages = exc.messages
            raise ValidationError({"commitments": [_("Compromiso %(n)d: %(msg)s") % {"n": number, "msg": m}
                                                   for m in messages]}) from exc
    return created


# --- Recording and editing -----------------------------------------------------------------------

def _values(data: dict) -> dict:
    values = {f: data[f] for f in FIELDS if f in data}
    for name in ("title", "place", "participants", "objective", "central_problem", "central_objective", "summary"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if values.get("municipality") is not None and values.get("department") is None:
        values["department"] = values["municipality"].department
    return values


def _unique_slug(title: str, held_on: date | None) -> str:
    base = slugify(title)[:60].strip("-") or "taller"
    if held_on:
        base = f"{base}-{held_on.isoformat()}"
    slug, n = base, 2
    while Workshop.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def workshop_recorded_record(*, workshop: Workshop, actor: User | None = None) -> None:
    """The territory's memory: "workshop.recorded" once per workshop held in a municipality or a
    department (keyed by the workshop, so a retry, an edit or `activity_rebuild` writes it once)."""
    if workshop.municipality_id is None and workshop.department_id is None:
        return
    organizer = workshop.organizer_organizations.first()
    record(key=f"workshop:{workshop.pk}:recorded", kind="workshop.recorded",
           title=_("Taller: %(title)s") % {"title": workshop.title}, text=workshop.central_problem[:1000],
           link=workshop.get_absolute_url(), municipality=workshop.municipality, department=workshop.department,
           organization=organizer, actor=actor, occurred_at=workshop.created_at,
           data={"workshop": workshop.pk, "held_on": workshop.held_on.isoformat() if workshop.held_on else None,
                 "participants_count": workshop.participants_count})


def workshops_rebuild() -> None:
    """For `manage.py activity_rebuild`: the rows `workshop_create` writes, for stored workshops."""
    workshops = (Workshop.objects.filter(is_patt=False, created_by__isnull=False)
                 .exclude(municipality__isnull=True, department__isnull=True)
                 .select_related("municipality", "department", "created_by").order_by("id"))
    for workshop in workshops.iterator(chunk_size=200):
        workshop_recorded_record(workshop=workshop, actor=workshop.created_by)


@transaction.atomic
def workshop_create(*, user: User, data: dict) -> Workshop:
    """Record a workshop with its tree, challenges and commitments.

    `data`: the model fields of FIELDS (`municipality`/`department` as instances; `organizers`
    ignored in favour of) `organizer_names` (typed lines; the recorder's organisation is always
    added for an editor), `tree` (see `tree_write`), `answers_in_order` (objective n answers direct
    cause n), `challenges` (texts) and `commitments` ([{"text", "responsible" (typed), "due_on"}]).
    The same person recording the same title and date within 30 minutes gets the first workshop
    back (a double submit). Raises PermissionDenied, or ValidationError by field (Spanish).
    """
    if not can_record_workshop(user):
        raise PermissionDenied(_("Solo la coordinación DNP y las organizaciones registran talleres."))
    values = _values(data)
    _validate(user=user, values=values, data=data)
    replay = Workshop.objects.filter(created_by=user, title=values["title"], held_on=values["held_on"],
                                     created_at__gte=timezone.now() - REPLAY_WINDOW).order_by("-pk").first()
    if replay is not None:
        return replay
    organizers, organizers_text = _organizers(data.get("organizer_names") or [])
    if not user.is_coordinator and user.organization is not None and user.organization not in organizers:
        organizers.insert(0, user.organization)
        organizers_text = "\n".join(filter(None, [user.organization.name, organizers_text]))
    values["organizers"] = organizers_text
    workshop = Workshop(slug=_unique_slug(values["title"], values["held_on"]), created_by=user, **values)
    history_note(workshop, user=user, reason=_("Registrado"))
    workshop.save()
    workshop.organizer_organizations.set(organizers)
    tree_write(workshop, data.get("tree") or {}, answers_in_order=bool(data.get("answers_in_order")))
    _challenges_write(workshop, data.get("challenges") or [])
    _commitments_write(user=user, workshop=workshop, commitments=data.get("commitments") or [])
    workshop_recorded_record(workshop=workshop, actor=user)
    return workshop


@transaction.atomic
def workshop_update(*, user: User, workshop: Workshop, data: dict) -> Workshop:
    """Change a workshop (keys absent stay). `tree` and `challenges`, when given, replace the stored
    ones if they differ; `commitments` are added (the existing ones are followed on their pages)."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not can_edit_workshop(user, workshop):
        raise PermissionDenied(_("No puede modificar este taller."))
    values = _values(data)
    merged = {f: values.get(f, getattr(workshop, f)) for f in FIELDS}
    _validate(user=user, values=merged, data=data)
    notes = []
    if "organizer_names" in data:
        organizers, organizers_text = _organizers(data["organizer_names"])
        if not user.is_coordinator and user.organization is not None and user.organization not in organizers:
            organizers.insert(0, user.organization)
            organizers_text = "\n".join(filter(None, [user.organization.name, organizers_text]))
        values["organizers"] = organizers_text
        if {o.pk for o in organizers} != {o.pk for o in workshop.organizer_organizations.all()}:
            workshop.organizer_organizations.set(organizers)
            notes.append(_("organizadores"))
    changed = [f for f in FIELDS if f in values and getattr(workshop, f) != values[f]]
    if "tree" in data:
        tree = dict(data["tree"])
        if data.get("answers_in_order"):
            tree["objectives"] = [{**o, "answers": n} for n, o in enumerate(tree.get("objectives") or [], start=1)]
        if _tree_shape(tree) != _stored_shape(workshop):
            tree_write(workshop, tree)
            notes.append(_("árbol"))
    if "challenges" in data and _challenges_write(workshop, data["challenges"]):
        notes.append(_("retos"))
    if data.get("commitments"):
        if _commitments_write(user=user, workshop=workshop, commitments=data["commitments"]):
            notes.append(_("compromisos"))
    if changed or notes:
        for name in changed:
            setattr(workshop, name, values[name])
        labels = [str(getattr(Workshop._meta.get_field(f), "verbose_name", f)) for f in changed]
        history_note(workshop, user=user, reason=(_("Editado: %(what)s") % {"what": ", ".join(labels + notes)})[:100])
        workshop.save(update_fields=[*changed, "updated_at"])
    workshop_recorded_record(workshop=workshop, actor=user)  # keyed: a territory added later is recorded then
    return workshop
