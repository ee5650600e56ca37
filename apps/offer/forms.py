from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import BadFile
from apps.core.validators import SingleLineFormMixin
from apps.offer.models import SERVICE_FIELDS, Service
from apps.territory.models import Department, Sector


class ServiceForm(SingleLineFormMixin, forms.ModelForm):
    """The editor's form. Field rules here; cross-field rules in services.service_validate."""

    sectors = forms.ModelMultipleChoiceField(
        Sector.objects.order_by("name"), widget=forms.CheckboxSelectMultiple, label=_("Sectores"),
        error_messages={"required": _("Elija al menos un sector.")},
    )
    departments = forms.ModelMultipleChoiceField(
        Department.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
        label=_("Departamentos donde está disponible"),
        help_text=_("Solo si no está disponible en todo el país."),
    )

    class Meta:
        model = Service
        fields = SERVICE_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 3}),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "name": {"required": _("Escriba el nombre del servicio.")},
            "summary": {"required": _("Escriba un resumen corto: qué ofrece y a quién.")},
            "contact_email": {"required": _("Escriba un correo de contacto."),
                              "invalid": _("Escriba un correo válido, por ejemplo nombre@entidad.gov.co.")},
            "assistance_type": {"required": _("Elija el tipo de asistencia.")},
            "modality": {"required": _("Elija la modalidad.")},
            "capacities": {"required": _("Elija al menos una capacidad que el servicio fortalece.")},
            "audience": {"required": _("Indique a quién va dirigido.")},
        }

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacities"].required = True
        self.fields["audience"].required = True
        for name in ("capacities", "audience"):
            self.fields[name].error_messages["required"] = self._meta.error_messages[name]["required"]
        if organization is not None and organization.kind == "department":
            # A department offers only in its own territory: no choice to make.
            del self.fields["nationwide"]
            del self.fields["departments"]

    def clean_links(self) -> str:
        # Only tidies the lines; the model field's validator (offer.models.validate_links) judges them.
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        return "\n".join(lines)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            # On its field, in Spanish; the model's check constraint then stays quiet (Django skips
            # constraints on fields that already failed) instead of naming itself to the editor.
            self.add_error("valid_until", _("La fecha final de vigencia no puede ser anterior a la inicial."))
        return data

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("sectors", "departments")}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo (XLSX o CSV)"),
        help_text=_("Use la plantilla: las mismas columnas de la exportación del catálogo."),
    )

    def clean_file(self):
        from apps.offer.resources import import_check

        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise ValidationError(_("El archivo debe ser .xlsx o .csv."))
        try:
            import_check(upload)
        except BadFile as exc:
            raise ValidationError(str(exc)) from None
        return upload
