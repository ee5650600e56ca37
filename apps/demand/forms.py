"""The filing form (short, phone-friendly), the picker of municipalities for departments, the
status and message forms."""

import json
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.validators import SingleLineFormMixin
from apps.core.vocabulary import Capacity
from apps.demand.models import Need
from apps.offer.models import Service
from apps.territory.forms import TerritoryPickerForm
from apps.territory.models import Department, Sector

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _submission_key_field() -> forms.UUIDField:
    """A one-time token rendered with the form, so posting it twice (a double click, Back and
    send again) writes once: see services.need_file and need_message_add."""
    return forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)


class NeedForm(SingleLineFormMixin, forms.ModelForm):
    submission_key = _submission_key_field()

    class Meta:
        model = Need
        fields = ["sector", "topic", "capacity", "problem", "expected_result", "priority", "modality",
                  "window_start", "window_end", "participants", "plan_goal", "service"]
        labels = {
            "topic": _("Tema, en pocas palabras"),
            "problem": _("¿Qué problema tienen? Cuéntelo con sus palabras"),
            "expected_result": _("¿Qué esperan lograr con la asistencia?"),
            "window_start": _("Nos sirve desde"),
            "window_end": _("Nos sirve hasta"),
            "participants": _("¿Cuántos funcionarios participarían?"),
            "plan_goal": _("Meta del plan de desarrollo (opcional)"),
        }
        help_texts = {
            "topic": _("Ejemplo: formulación de proyectos de acueducto rural."),
            "window_start": _("Las fechas que convienen según el ciclo de gestión de su entidad."),
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "priority": forms.RadioSelect,
            "modality": forms.RadioSelect,
            "capacity": forms.RadioSelect,
            "window_start": DATE,
            "window_end": DATE,
            "participants": forms.NumberInput(attrs={"min": 1, "max": 500, "inputmode": "numeric"}),
            # Set from the catalogue's "Solicitar este servicio" link (?servicio=<id>), never a long select.
            "service": forms.HiddenInput,
        }

    # Required to radicar, not to save a draft (services.FILING_REQUIRED); marked * on the form.
    FILING_REQUIRED = ("sector", "topic", "capacity", "problem", "expected_result")
    # Left out, these keep the need's value (the model's default on a new one).
    DEFAULTED = ("priority", "modality", "participants")

    def __init__(self, *args, filing: bool = True, **kwargs):
        """`filing`: the person pressed *Radicar* (every required field is checked) rather than
        *Guardar borrador* (only the topic is)."""
        super().__init__(*args, **kwargs)
        self.filing = filing
        if self.instance.pk:
            del self.fields["submission_key"]  # editing a draft is idempotent already
        for name in self.FILING_REQUIRED:
            self.fields[name].filing_required = True
        for name in self.DEFAULTED:
            self.fields[name].required = False
        self.fields["sector"].queryset = Sector.objects.order_by("name")
        self.fields["sector"].empty_label = _("Elija el sector")
        self.fields["participants"].widget.attrs["min"] = 1
        self.fields["capacity"].choices = Capacity.choices  # radios without an empty "------" one
        self.fields["service"].queryset = Service.objects.filter(status=Service.Status.PUBLISHED)
        self.fields["service"].required = False

    def chosen_service(self) -> Service | None:
        value = self["service"].value()
        if not value:
            return None
        value = str(value)
        if not (value.isascii() and value.isdigit() and len(value) < 19):
            return None
        return self.fields["service"].queryset.filter(pk=value).first()

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("La fecha final debe ser posterior a la inicial."))
        for name in self.DEFAULTED:
            if name not in self.errors and data.get(name) in (None, ""):
                data[name] = getattr(self.instance, name)
        if self.filing:
            for name in self.FILING_REQUIRED:
                if name not in self.errors and data.get(name) in (None, ""):
                    self.add_error(name, _("Complete este dato para radicar la solicitud."))
        return data


def initial_from_service(value: str) -> dict:
    """The form's starting values when a territory asks for a catalogue service (*Solicitar este
    servicio*): the service, its first sector and its name as the topic. An id that is not a
    published service starts the form empty."""
    if not (value.isascii() and value.isdigit()):
        return {}
    service = (Service.objects.filter(pk=value, status=Service.Status.PUBLISHED)
               .prefetch_related("sectors").first())
    if service is None:
        return {}
    sector = next(iter(service.sectors.all()), None)  # sectors come ordered by name
    return {"service": service.pk, "topic": service.name, "sector": sector.pk if sector else None}


class OnBehalfPickerForm(SingleLineFormMixin, TerritoryPickerForm):
    """One municipality of the filing department, typed by name (the shared territory picker
    with its department fixed: a department files only for its own municipalities)."""

    def __init__(self, *args, department: Department, **kwargs):
        kwargs.setdefault("initial", {})["department"] = department.code
        super().__init__(*args, **kwargs)
        self.department = department
        self.fields["department"].queryset = Department.objects.filter(code=department.code)
        self.fields["department"].widget = forms.HiddenInput()
        datalist = f"municipality-options-{self.prefix or 'x'}"
        self.fields["municipality_name"].label = _("Municipio")
        self.fields["municipality_name"].help_text = ""
        self.fields["municipality_name"].widget.attrs.update(
            {"list": datalist, "hx-target": f"#{datalist}", "hx-include": "this",
             # Plain JSON, no "js:" values: the CSP allows no eval.
             "hx-vals": json.dumps({"format": "options", "department": department.code})}
        )
        self.datalist_id = datalist

    def has_changed(self):
        # Only the typed name counts: the fixed department alone is an empty row.
        return bool((self.data.get(self.add_prefix("municipality_name")) or "").strip())


OnBehalfFormSet = forms.formset_factory(OnBehalfPickerForm, extra=5, max_num=5, absolute_max=5)


class TransitionForm(SingleLineFormMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Motivo"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MessageForm(forms.Form):
    submission_key = _submission_key_field()
    body = forms.CharField(label=_("Escriba un mensaje"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Escriba el mensaje.")})
