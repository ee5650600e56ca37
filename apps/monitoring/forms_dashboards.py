"""The dashboards' filters: period, dates, department (typed), category, sector, provider, and
the breakdown to show. Every field is optional; an invalid form filters nothing and says why on
the field.

The department is typed (a text box with a <datalist> of the 33 names, resolved on the server by
name or DIVIPOLA code), so a phone shows a keyboard and suggestions instead of a 33-option list.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization
from apps.agenda.models import AgendaPeriod
from apps.core.text import normalize
from apps.core.vocabulary import MunicipalCategory
from apps.territory.models import Department, Sector

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BY_CHOICES = [
    ("department", _("Departamento")),
    ("category", _("Categoría municipal")),
    ("sector", _("Sector")),
    ("provider", _("Entidad que presta")),
]
CAPACITY_BY = ("capacity", _("Capacidad"))
DEPARTMENTS_DATALIST = "departments-options"


def department_lookup(typed: str) -> Department | None:
    """The department typed as its name (any case, with or without accents) or DIVIPOLA code."""
    term = normalize(typed)
    if not term:
        return None
    if term.isascii() and term.isdigit():
        return Department.objects.filter(code=term.zfill(2)[:2]).first() if len(term) <= 2 else None
    term = term.removeprefix("departamento de ").removeprefix("departamento del ")
    for department in Department.objects.only("code", "name", "display_name"):
        if term in (normalize(department.display_name), normalize(department.name)):
            return department
    return None


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaPeriod) -> str:
        return f"{obj.name} ({obj.get_status_display().lower()})"


class IndicatorFilterForm(forms.Form):
    period = PeriodChoiceField(queryset=AgendaPeriod.objects.none(), required=False, label=_("Periodo"),
                               empty_label=_("Todo el tiempo"))
    starts_on = forms.DateField(label=_("Desde"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Hasta"), required=False, widget=DATE)
    department = forms.CharField(
        label=_("Departamento"), required=False, max_length=80,
        widget=forms.TextInput(attrs={"list": DEPARTMENTS_DATALIST, "autocomplete": "off"}),
        help_text=_("Escriba el nombre y elíjalo de la lista."))
    category = forms.ChoiceField(label=_("Categoría municipal"), required=False,
                                 choices=[("", _("Todas"))] + list(MunicipalCategory.choices))
    sector = forms.ModelChoiceField(queryset=Sector.objects.order_by("name"), required=False, label=_("Sector"),
                                    empty_label=_("Todos"), to_field_name="slug")
    provider = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind__in=[Organization.Kind.NATIONAL_ENTITY,
                                                       Organization.Kind.DEPARTMENT]).order_by("name"),
        required=False, label=_("Entidad que presta"), empty_label=_("Todas"))
    by = forms.ChoiceField(label=_("Desagregar por"), required=False, choices=BY_CHOICES)

    def __init__(self, *args, public: bool = False, capacity: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        periods = AgendaPeriod.objects.select_related("frozen").order_by("-starts_on")
        if public:
            # The public sees the plans that were published (closed ones stay internal).
            periods = periods.filter(status=AgendaPeriod.Status.PUBLISHED)
        self.fields["period"].queryset = periods
        if capacity:
            self.fields["by"].choices = [*BY_CHOICES, CAPACITY_BY]

    def clean_department(self) -> Department | None:
        typed = self.cleaned_data.get("department", "")
        if not typed.strip():
            return None
        department = department_lookup(typed)
        if department is None:
            raise ValidationError(_("No encontramos el departamento «%(name)s». Elíjalo de la lista.")
                                  % {"name": typed.strip()})
        return department

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("La fecha final es anterior a la inicial."))
        return data

    def chosen_by(self, default: str = "department") -> str:
        if self.is_valid() and self.cleaned_data.get("by"):
            return self.cleaned_data["by"]
        return default

    def filter_values(self) -> dict:
        """The chosen filters as the keyword arguments of `indicators.Filters` (empty if invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        out: dict = {}
        if data.get("period"):
            out["period"] = data["period"]
        for name in ("starts_on", "ends_on"):
            if data.get(name):
                out[name] = data[name]
        if data.get("department"):
            out["department"] = data["department"].code
        if data.get("category"):
            out["category"] = data["category"]
        if data.get("sector"):
            out["sector"] = data["sector"].slug
        if data.get("provider"):
            out["provider"] = data["provider"].pk
        return out

    def chosen_period(self) -> AgendaPeriod | None:
        return self.cleaned_data.get("period") if self.is_valid() else None
