"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

# What a database integer column holds (SQLite and PostgreSQL's bigint).
ID_RANGE = range(-(2**63), 2**63)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose ids must fit in a database integer.

    Django looks the chosen ids up with `pk__in`, which on SQLite raises OverflowError (a 500) for
    an id past 64 bits instead of the field's «not one of the choices» error.
    """

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # Django answers it with «not a valid value»
                if number not in ID_RANGE:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": pk})
        return super()._check_values(value)
