"""The agenda's forms: the calendar filters, the short event form (phone first), the transition
form and the attendees box.

The event form asks for a day and two times (most jornadas fit one day; a second day field covers
the rest), territories typed by name (the shared municipality picker, department first) and
attendees one per line. A holiday or weekend is refused on the date field with the holiday's name
until the coordinator ticks "Confirmar de todos modos".
"""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization
from apps.agenda.models import Event, Kind
from apps.core.fields import ModelIdsField
from apps.core.vocabulary import Modality
from apps.offer.models import Service
from apps.territory.forms import TerritoryPickerForm
from apps.territory.models import Department, Sector

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CalendarFilterForm(forms.Form):
    """The filters of the national agenda; every one optional, unknown values ignored."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, label=_("Departamento"),
        empty_label=_("Todos"), to_field_name="code",
    )
    entity = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind__in=[Organization.Kind.NATIONAL_ENTITY,
                                                       Organization.Kind.DEPARTMENT]).order_by("name"),
        required=False, label=_("Entidad"), empty_label=_("Todas"),
    )
    sector = forms.ModelChoiceField(queryset=Sector.objects.order_by("name"), required=False, label=_("Sector"),
                                    empty_label=_("Todos"), to_field_name="slug")
    kind = forms.ChoiceField(choices=[("", _("Todos"))] + list(Kind.choices), required=False, label=_("Tipo"))
    # Set by the municipality page's "Ver en la agenda nacional" link (a DIVIPOLA code).
    municipality = forms.RegexField(regex=r"^\d{5}$", required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        """The chosen filters, as the selectors take them (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        out = {}
        if data.get("department"):
            out["department"] = data["department"].code
        if data.get("entity"):
            out["organization"] = data["entity"].pk
        if data.get("sector"):
            out["sector"] = data["sector"].slug
        if data.get("kind"):
            out["kind"] = data["kind"]
        if data.get("municipality"):
            out["municipality"] = data["municipality"]
        return out


def parse_attendees(text: str) -> list[dict]:
    """"Nombre, correo, organización" per line → dicts; raises ValidationError naming the bad line."""
    out, seen = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if len(parts) < 2:
            raise ValidationError(_("Línea %(n)d: escriba «Nombre, correo» (y, si quiere, la organización).")
                                  % {"n": number})
        name, email, organization = parts[0], parts[1].lower(), ", ".join(parts[2:])
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Línea %(n)d: «%(email)s» no es un correo válido.")
                                  % {"n": number, "email": email}) from None
        if email in seen:
            continue
        seen.add(email)
        out.append({"name": name or email, "email": email, "organization_name": organization})
    return out


class EventForm(forms.Form):
    title = forms.CharField(label=_("Título"), max_length=200,
                            help_text=_("Ejemplo: Taller de formulación de proyectos de agua potable."))
    kind = forms.ChoiceField(label=_("Tipo de jornada"), choices=Kind.choices, initial=Kind.TECHNICAL_ASSISTANCE)
    day = forms.DateField(label=_("Fecha"), widget=DATE)
    start_time = forms.TimeField(label=_("Hora de inicio"), widget=TIME, initial=time(8, 0))
    end_time = forms.TimeField(label=_("Hora de fin"), widget=TIME, initial=time(12, 0))
    end_day = forms.DateField(label=_("Último día, si dura varios días"), widget=DATE, required=False)
    confirm_non_working_day = forms.BooleanField(
        label=_("Confirmar de todos modos"), required=False,
        help_text=_("Marque esta casilla si la jornada sí debe hacerse en un día festivo o un fin de semana."),
    )
    recorded_after_the_fact = forms.BooleanField(
        label=_("Ya se realizó: registrar asistencia prestada por fuera de la plataforma"), required=False,
        help_text=_("Queda como realizada, para que la agenda muestre todo lo que se entregó."),
    )
    cost = forms.DecimalField(label=_("Costo en pesos (opcional)"), required=False, min_value=0, max_digits=14,
                              decimal_places=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    modality = forms.ChoiceField(label=_("Modalidad"), choices=Modality.choices, initial=Modality.ONSITE,
                                 widget=forms.RadioSelect)
    place = forms.CharField(label=_("Lugar"), max_length=250, required=False,
                            help_text=_("Dirección o sitio, si es presencial."))
    video_url = forms.URLField(label=_("Enlace de la videollamada"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Descripción (opcional)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    providers = ModelIdsField(
        label=_("Entidades que la prestan"), queryset=Organization.objects.none(), required=False,
        help_text=_("Una misión conjunta tiene varias."),
    )
    services = ModelIdsField(label=_("Servicios que presta"), queryset=Service.objects.none(), required=False)
    attendees = forms.CharField(
        label=_("Asistentes esperados (opcional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Uno por línea: Nombre, correo, organización. Recibirán recordatorios y la encuesta."),
    )

    def __init__(self, *args, user, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.non_working = False  # set when the date was refused: the page then shows the checkbox
        if event is not None:
            # Only a new event is recorded after the fact: one on the agenda is realised through
            # «Marcar como realizada» (event_update refuses the tick), so the edit form has no box.
            del self.fields["recorded_after_the_fact"]
        services = Service.objects.filter(status=Service.Status.PUBLISHED).select_related("organization")
        if user.is_coordinator:
            self.fields["providers"].queryset = Organization.objects.filter(
                kind__in=[Organization.Kind.NATIONAL_ENTITY, Organization.Kind.DEPARTMENT,
                          Organization.Kind.DNP]).order_by("name")
        else:
            # An entity's editor proposes events of their own organisation's services only.
            del self.fields["providers"]
            services = services.filter(organization=user.organization)
        self.fields["services"].queryset = services.order_by("organization__name", "name")
        self.fields["services"].label_from_instance = lambda s: f"{s.name} ({s.organization.name})"

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            last = data.get("end_day") or day
            if last < day:
                self.add_error("end_day", _("El último día no puede ser anterior a la fecha de inicio."))
                return data
            tz = timezone.get_current_timezone()
            data["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            data["ends_at"] = datetime.combine(last, end, tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("La hora de fin debe ser posterior a la de inicio."))
        if "providers" in self.fields and not data.get("providers"):
            self.add_error("providers", _("Elija al menos una entidad."))
        if data.get("modality") == Modality.VIRTUAL and not data.get("video_url"):
            self.add_error("video_url", _("Escriba el enlace de la videollamada."))
        try:
            data["attendee_list"] = parse_attendees(data.get("attendees") or "")
        except ValidationError as exc:
            self.add_error("attendees", exc)
        return data

    def refuse_day(self, error: ValidationError) -> None:
        """Show the service's non-working-day refusal on the date field, with the checkbox."""
        self.non_working = True
        self.add_error("day", error)

    def event_data(self) -> dict:
        data = self.cleaned_data
        out = {key: data[key] for key in ("title", "kind", "starts_at", "ends_at", "modality", "place",
                                           "video_url", "description", "cost")}
        if "recorded_after_the_fact" in self.fields:  # a new event only
            out["recorded_after_the_fact"] = data["recorded_after_the_fact"]
        out["services"] = list(data["services"])
        out["providers"] = list(data["providers"]) if "providers" in self.fields else [self.user.organization]
        out["attendees"] = data["attendee_list"]
        return out


class EventTerritoryForm(TerritoryPickerForm):
    """One territory of the event: a department, and optionally one of its municipalities typed by
    name (the shared picker; its datalist is per row)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].required = False
        datalist = f"municipality-options-{self.prefix or 'x'}"
        # The suggest endpoint wants `department` and `q`; agenda.js renames this row's prefixed
        # fields on htmx:configRequest (the CSP forbids htmx's "js:" values, which need eval).
        self.fields["municipality_name"].widget.attrs.update({
            "list": datalist, "hx-target": f"#{datalist}", "hx-include": "this",
            "data-department-field": self.add_prefix("department"),
        })
        self.datalist_id = datalist

    def has_changed(self):
        return bool(self.data.get(self.add_prefix("department")))


TerritoryFormSet = forms.formset_factory(EventTerritoryForm, extra=3, max_num=10, absolute_max=10)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("confirm", "complete", "cancel", "reschedule")],
                               widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Motivo"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    day = forms.DateField(label=_("Nueva fecha"), widget=DATE, required=False)
    start_time = forms.TimeField(label=_("Hora de inicio"), widget=TIME, required=False)
    end_time = forms.TimeField(label=_("Hora de fin"), widget=TIME, required=False)
    confirm_non_working_day = forms.BooleanField(label=_("Confirmar de todos modos"), required=False)

    def new_dates(self):
        data = self.cleaned_data
        if not (data.get("day") and data.get("start_time") and data.get("end_time")):
            return None, None
        tz = timezone.get_current_timezone()
        return (datetime.combine(data["day"], data["start_time"], tzinfo=tz),
                datetime.combine(data["day"], data["end_time"], tzinfo=tz))


class EventDateForm(forms.Form):
    """The date of a match being accepted (the coordinator may move it off a holiday)."""

    day = forms.DateField(label=_("Fecha"), widget=DATE)
    start_time = forms.TimeField(label=_("Hora de inicio"), widget=TIME, initial=time(8, 0))
    end_time = forms.TimeField(label=_("Hora de fin"), widget=TIME, initial=time(12, 0))
    confirm_non_working_day = forms.BooleanField(label=_("Confirmar de todos modos"), required=False)


def event_initial(event: Event) -> dict:
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    return {
        "title": event.title, "kind": event.kind, "day": start.date(), "start_time": start.time(),
        "end_time": end.time(), "end_day": end.date() if end.date() != start.date() else None,
        "modality": event.modality, "place": event.place, "video_url": event.video_url,
        "description": event.description, "providers": list(event.providers.all()),
        "recorded_after_the_fact": event.recorded_after_the_fact, "cost": event.cost,
        "services": list(event.services.all()),
        "attendees": "\n".join(", ".join(filter(None, [a.name, a.email, a.organization_name]))
                               for a in event.attendees.all()),
    }
