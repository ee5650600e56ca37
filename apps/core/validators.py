"""Validators for text people type, shared by every app's forms and serializers.

A single-line field (a topic, a name, a phone) ends up in e-mail subjects, CSV cells and page
titles; a line break there breaks the e-mail (`BadHeaderError`) or the row. Forms and
serializers that mix in `SingleLineFormMixin` / `SingleLineSerializerMixin` refuse it on every
single-line text field, with the error on that field.

Control characters (NUL first: PostgreSQL cannot store it nor look it up) are refused in form
bodies by `RejectControlCharactersMiddleware`; JSON bodies by `SingleLineSerializerMixin`, on
each field, before any relation is looked up.
"""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What str.splitlines() splits on: CR, LF, VT, FF, FS, GS, RS, NEL, LINE and PARAGRAPH SEPARATOR.
LINE_BREAKS = frozenset("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")
LINE_BREAK_MESSAGE = _("Escriba este dato en una sola línea.")
CONTROL_MESSAGE = _("Este dato trae caracteres de control (como el carácter nulo) que no se pueden guardar.")


def no_line_breaks(value: object) -> None:
    """Refuse a text with a line break of any kind (see LINE_BREAKS)."""
    if isinstance(value, str) and not LINE_BREAKS.isdisjoint(value):
        raise ValidationError(LINE_BREAK_MESSAGE, code="line_break")


def _add_validator(field) -> None:
    if no_line_breaks not in field.validators:
        field.validators.append(no_line_breaks)


class SingleLineFormMixin:
    """Adds `no_line_breaks` to every CharField of the form that is not a Textarea.

    Put it first among the bases: `class MyForm(SingleLineFormMixin, forms.ModelForm)`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                # Field instances are deep-copied per form, so this never leaks to other forms.
                _add_validator(field)


def _has_control(value: object) -> bool:
    from apps.core.middleware import CONTROL_IN_VALUE

    if isinstance(value, str):
        return CONTROL_IN_VALUE.search(value) is not None
    if isinstance(value, list | tuple):
        return any(_has_control(item) for item in value)
    if isinstance(value, Mapping):
        return any(_has_control(key) or _has_control(item) for key, item in value.items())
    return False


class SingleLineSerializerMixin:
    """Adds `no_line_breaks` to every CharField of the serializer except those marked as
    multi-line the way DRF's browsable API knows them: `style={"base_template": "textarea.html"}`;
    and refuses control characters in any field's input (see the module docstring).
    """

    def to_internal_value(self, data):
        from rest_framework import serializers

        if isinstance(data, Mapping):
            errors = {name: [CONTROL_MESSAGE] for name, value in data.items()
                      if name in self.fields and _has_control(value)}
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def get_fields(self):
        from rest_framework import serializers

        fields = super().get_fields()
        for field in fields.values():
            if (isinstance(field, serializers.CharField) and not field.read_only
                    and field.style.get("base_template") != "textarea.html"):
                field.validators = [*field.validators, no_line_breaks]
        return fields
