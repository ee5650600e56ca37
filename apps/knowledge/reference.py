"""The eight PATT workshops of 2021 and the policy's shared problem tree, from
`data/knowledge/talleres_2021.json` (extracted from the DNP report, `docs/informe-patt-2021.txt`).

Idempotent by slug: a workshop is created once and later loads bring its fields, tree and
challenges in line with the file (a corrected file corrects the data); commitments are added when
their text is new and never removed (they may have progress notes). Reference data, so it is
written directly (no activity rows, no notices), like the territory reference tables.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import Organization
from apps.accounts.services import organization_resolve
from apps.knowledge.models import Commitment, CommitmentProgress, Workshop
from apps.knowledge.services_workshops import _challenges_write, _stored_shape, _tree_shape, tree_write

WORKSHOPS_FILE = Path(settings.BASE_DIR) / "data" / "knowledge" / "talleres_2021.json"
FIELDS = ("title", "held_on", "place", "organizers", "participants", "participants_count", "objective",
          "central_problem", "central_objective", "summary", "source", "source_notes")
PROGRESS_NOTE = ("Compromiso registrado desde el informe de los talleres de 2021 (DNP); el informe no dice "
                 "si se cumplió.")


def workshops_reference() -> dict:
    with open(WORKSHOPS_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _orgs(codes: list[str]) -> list[Organization]:
    found = []
    for code in codes:
        try:
            found.append(organization_resolve(code))
        except ValidationError:
            continue  # a code the reference tables do not know: the text fields still name it
    return found


def _load_one(item: dict, *, is_patt: bool) -> tuple[Workshop, bool]:
    values = {f: item.get(f) for f in FIELDS}
    values["held_on"] = date.fromisoformat(item["held_on"]) if item.get("held_on") else None
    for name in FIELDS:
        if name not in ("held_on", "participants_count") and values[name] is None:
            values[name] = ""
    workshop, created = Workshop.objects.get_or_create(slug=item["slug"], defaults={**values, "is_patt": is_patt})
    changed = [f for f in FIELDS if getattr(workshop, f) != values[f]]
    if workshop.is_patt != is_patt:
        changed.append("is_patt")
        workshop.is_patt = is_patt
    if changed:
        for name in changed:
            if name != "is_patt":
                setattr(workshop, name, values[name])
        workshop.save(update_fields=[*changed, "updated_at"])
    workshop.organizer_organizations.add(*_orgs(item.get("organizer_entities") or []))
    participants = _orgs((item.get("participant_entities") or []) + (item.get("participant_departments") or []))
    workshop.participant_organizations.add(*participants)
    tree = item.get("tree") or {}
    if _tree_shape(tree) != _stored_shape(workshop):
        tree_write(workshop, tree)
    _challenges_write(workshop, item.get("challenges") or [])
    known = set(workshop.commitments.values_list("text", flat=True))
    for entry in item.get("commitments") or []:
        if entry["text"] in known:
            continue
        responsible = _orgs([entry["responsible_entity"]])[0] if entry.get("responsible_entity") else None
        commitment = Commitment.objects.create(text=entry["text"], responsible=responsible,
                                               responsible_text=entry.get("responsible_text") or "",
                                               workshop=workshop)
        CommitmentProgress.objects.create(commitment=commitment, to_status=commitment.status, note=PROGRESS_NOTE)
    return workshop, created


@transaction.atomic
def load_workshops() -> dict[str, int]:
    """Upsert the 2021 workshops and the PATT tree; returns how many of each the file holds."""
    data = workshops_reference()
    for item in data["workshops"]:
        _load_one(item, is_patt=False)
    _load_one(data["patt"], is_patt=True)
    return {"workshops": len(data["workshops"]), "patt": 1}
