"""The change history (django-simple-history) as people read it: in Spanish, each change with the
field's name and its old → new value ("Estado: Borrador → Publicado"), never a bare "Changed"."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS = {"+": gettext_lazy("Creado"), "~": gettext_lazy("Modificado"), "-": gettext_lazy("Eliminado")}
# Bookkeeping columns nobody edits: not worth a line in the history.
SKIPPED = {"created_at", "updated_at", "search_document", "search_vector"}
EMPTY = "—"


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    date: datetime.datetime
    user: object
    action: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)


def _choice_labels(model_field: models.Field) -> dict:
    pairs = getattr(model_field, "choice_list", None) or model_field.flatchoices or []
    return {str(value): label for value, label in pairs}


def _display(model_field: models.Field, value, names: dict) -> str:
    """One value as a reader sees it: choice labels, Sí/No, dates, related names."""
    if value in (None, "", []):
        return EMPTY
    if isinstance(model_field, models.ManyToManyField):
        key = model_field.m2m_reverse_field_name()
        ids = [row[key] for row in value]
        return ", ".join(str(names.get(pk, pk)) for pk in ids) or EMPTY
    if isinstance(model_field, models.ForeignKey):
        return str(names.get(value, value))
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    labels = _choice_labels(model_field)
    if isinstance(value, list | tuple):
        return ", ".join(str(labels.get(str(v), v)) for v in value) or EMPTY
    if labels:
        return str(labels.get(str(value), value))
    return str(value)


def _related_names(model, deltas) -> dict:
    """Names of the related rows the changes mention, one query per related model."""
    wanted: dict = {}
    for delta in deltas:
        for change in delta.changes:
            model_field = model._meta.get_field(change.field)
            if isinstance(model_field, models.ManyToManyField):
                key = model_field.m2m_reverse_field_name()
                ids = [row[key] for value in (change.old, change.new) for row in value or []]
            elif isinstance(model_field, models.ForeignKey):
                ids = [v for v in (change.old, change.new) if v is not None]
            else:
                continue
            wanted.setdefault(model_field.related_model, set()).update(ids)
    names = {}
    for related, ids in wanted.items():
        names |= {pk: str(obj) for pk, obj in related._default_manager.in_bulk(list(ids)).items()}
    return names


def history_entries(records) -> list[Entry]:
    """`records`: historical rows, newest first (as `obj.history.all()` returns them)."""
    records = list(records)
    if not records:
        return []
    model = records[0].instance_type
    # The oldest row shown is compared with the one before it, outside the page (one more query).
    pairs = [(new, records[i + 1] if i + 1 < len(records) else new.prev_record) for i, new in enumerate(records)]
    deltas = {new.pk: new.diff_against(old) for new, old in pairs if old is not None and new.history_type == "~"}
    names = _related_names(model, deltas.values())
    entries = []
    for new, _old in pairs:
        entry = Entry(date=new.history_date, user=new.history_user, action=str(ACTIONS.get(new.history_type, "")),
                      reason=new.history_change_reason or "")
        for change in deltas[new.pk].changes if new.pk in deltas else []:
            if change.field in SKIPPED:
                continue
            model_field = model._meta.get_field(change.field)
            entry.changes.append(Change(field=str(capfirst(model_field.verbose_name)),
                                        old=_display(model_field, change.old, names),
                                        new=_display(model_field, change.new, names)))
        entries.append(entry)
    return entries
