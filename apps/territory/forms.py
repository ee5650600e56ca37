"""The territory picker every form uses: department first, then the municipality by typing.

Without JavaScript it is a 33-option select and a text box resolved on the server; with htmx the
text box suggests names of the chosen department as the person types (a <datalist>).
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from apps.territory.models import Department, Municipality
from apps.territory.selectors import municipality_resolve


class TerritoryPickerForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), label=_("Departamento"),
        empty_label=_("Elija el departamento"),
    )
    municipality_name = forms.CharField(
        label=_("Municipio"), required=False, max_length=120,
        help_text=_("Escriba las primeras letras y elija de la lista. Déjelo vacío si es el departamento."),
        widget=forms.TextInput(
            attrs={
                "list": "municipality-options", "autocomplete": "off",
                "hx-get": reverse_lazy("territory:municipality_suggest"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#municipality-options",
                "hx-include": "[name='department']",
                "hx-vals": '{"format": "options"}',
            }
        ),
    )
    municipality_required = False

    def clean(self):
        data = super().clean()
        department, name = data.get("department"), (data.get("municipality_name") or "").strip()
        data["municipality"] = None
        if department and name:
            muni = municipality_resolve(department=department.code, name=name)
            if muni is None:
                self.add_error(
                    "municipality_name",
                    _("No encontramos «%(name)s» en %(dept)s. Revise el nombre o elíjalo de la lista.")
                    % {"name": name, "dept": department.display_name},
                )
            data["municipality"] = muni
        elif department and self.municipality_required:
            self.add_error("municipality_name", _("Escriba el municipio."))
        return data


def municipality_initial(muni: Municipality | None) -> dict:
    return {"department": muni.department_id, "municipality_name": muni.display_name} if muni else {}
