"""Forms of the commitments pages: the list's filters, the status form, a jornada's commitment, the import."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization
from apps.core.uploads import BadFile
from apps.knowledge.models import CommitmentStatus
from apps.knowledge.selectors import DUE_CHOICES
from apps.territory.models import Department

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommitmentFilterForm(forms.Form):
    """The list's filters; every one optional, unknown values ignored."""

    status = forms.ChoiceField(choices=[("", _("Todos"))] + list(CommitmentStatus.choices), required=False,
                               label=_("Estado"))
    responsible = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False,
                                         label=_("Responsable"), empty_label=_("Todos"))
    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False, label=_("Departamento"),
                                        empty_label=_("Todos"), to_field_name="code")
    due = forms.ChoiceField(choices=[("", _("Cualquiera"))] + list(DUE_CHOICES), required=False,
                            label=_("Fecha límite"))
    q = forms.CharField(required=False, max_length=200, label=_("Texto"))
    # Set by links from a municipality, a workshop or a jornada (kept as hidden fields while filtering).
    municipality = forms.RegexField(regex=r"^\d{5}$", required=False, widget=forms.HiddenInput)
    workshop = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)
    event = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, responsibles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if responsibles is not None:
            self.fields["responsible"].queryset = responsibles

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        out = {key: data[key] for key in ("status", "due", "q", "municipality", "workshop", "event") if data.get(key)}
        if data.get("responsible"):
            out["responsible"] = data["responsible"].pk
        if data.get("department"):
            out["department"] = data["department"].code
        return out


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CommitmentStatus.choices, label=_("Estado"))
    note = forms.CharField(label=_("Nota (qué se hizo, o por qué cambia)"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Escriba una nota: qué se hizo o por qué cambia el estado.")})
    due_on = forms.DateField(label=_("Nueva fecha límite (opcional)"), required=False, widget=DATE)


class EventCommitmentForm(forms.Form):
    """A commitment of a realised jornada: for one of its territories, by a provider or a territory."""

    text = forms.CharField(label=_("Compromiso"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ChoiceField(label=_("Responsable"))
    territory = forms.ChoiceField(label=_("Territorio"))
    due_on = forms.DateField(label=_("Fecha límite"), required=False, widget=DATE)
    note = forms.CharField(label=_("Nota (opcional)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.accounts.services import organization_resolve

        self.organizations: dict[str, Organization] = {str(org.pk): org for org in event.providers.all()}
        territories = [(f"m:{m.pk}", m.display_name) for m in event.municipalities.all()]
        territories += [(f"d:{d.pk}", d.display_name) for d in event.departments.all()]
        for value, _label in territories:
            org = organization_resolve(value[2:])  # the territory's organisation (created on first use)
            self.organizations.setdefault(str(org.pk), org)
        self.fields["responsible"].choices = [("", _("Elija quién se compromete"))] + [
            (key, org.name) for key, org in self.organizations.items()]
        self.fields["territory"].choices = territories
        if len(territories) == 1:
            self.fields["territory"].initial = territories[0][0]

    def responsible_org(self) -> Organization:
        return self.organizations[self.cleaned_data["responsible"]]

    def territory_kwargs(self) -> dict:
        from apps.territory.models import Municipality

        kind, code = self.cleaned_data["territory"].split(":", 1)
        if kind == "m":
            return {"municipality": Municipality.objects.select_related("department").get(pk=code)}
        return {"department": Department.objects.get(pk=code)}


class CommitmentImportForm(forms.Form):
    file = forms.FileField(label=_("Archivo (XLSX o CSV)"),
                           help_text=_("Columnas: id, estado, nota y, si cambia, fecha límite."))

    def clean_file(self):
        from apps.knowledge.imports_commitments import import_check

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("El archivo debe ser .xlsx o .csv."))
        try:
            import_check(upload)
        except BadFile as exc:
            raise ValidationError(str(exc)) from None
        return upload
