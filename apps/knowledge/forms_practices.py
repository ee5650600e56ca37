"""Forms for practices, lessons and guidelines: short, phone-first, no JavaScript needed."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization, User
from apps.core.vocabulary import Capacity, MunicipalCategory
from apps.knowledge.files import ACCEPT
from apps.knowledge.models import Guideline, Practice
from apps.territory.models import Department, Sector
from apps.territory.selectors import municipality_resolve

LINK_CHOICES = 30  # the most recent needs / events a form offers to link


def _ids(qs, limit: int = LINK_CHOICES) -> list:
    return list(qs.values_list("pk", flat=True)[:limit])


class PracticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo"), choices=Practice.Kind.choices, initial=Practice.Kind.PRACTICE,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Título"), max_length=200)
    what = forms.CharField(label=_("¿Qué se hizo?"), widget=forms.Textarea(attrs={"rows": 4}))
    result = forms.CharField(label=_("¿Qué resultado dio?"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidencia"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("Actas, cifras, documentos que lo muestran."))
    evidence_url = forms.URLField(label=_("Enlace a la evidencia"), required=False, assume_scheme="https")
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.order_by("name"), required=False,
                                    empty_label=_("Elija un sector"))
    capacity = forms.ChoiceField(label=_("Capacidad que fortaleció"), required=False,
                                 choices=[("", _("Ninguna en particular")), *Capacity.choices])
    topics = forms.CharField(label=_("Temas"), max_length=300, required=False,
                             help_text=_("Palabras clave separadas por comas, p. ej. acueducto, regalías."))
    department = forms.ModelChoiceField(label=_("Departamento donde se hizo"), queryset=Department.objects.all(),
                                        required=False, empty_label=_("Nacional / varios"))
    municipality_name = forms.CharField(label=_("Municipio donde se hizo"), required=False, max_length=120,
                                        help_text=_("Escriba el nombre; déjelo vacío si fue en todo el departamento."))
    needs = forms.ModelMultipleChoiceField(label=_("Solicitudes de las que viene"), required=False,
                                           queryset=None, widget=forms.CheckboxSelectMultiple)
    events = forms.ModelMultipleChoiceField(label=_("Jornadas de las que viene"), required=False,
                                            queryset=None, widget=forms.CheckboxSelectMultiple)
    services = forms.ModelMultipleChoiceField(label=_("Servicios que usó"), required=False,
                                              queryset=None, widget=forms.CheckboxSelectMultiple)
    contact_name = forms.CharField(label=_("Contacto"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Correo del contacto"), required=False)
    contact_phone = forms.CharField(label=_("Teléfono del contacto"), max_length=40, required=False)
    published = forms.BooleanField(label=_("Publicarla ya (otros territorios la verán)"), required=False,
                                   initial=True)

    def __init__(self, *args, user: User, practice: Practice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.agenda.models import Event
        from apps.agenda.selectors import event_base
        from apps.demand.models import Need
        from apps.demand.permissions import need_scope
        from apps.offer.models import Service
        from apps.offer.permissions import service_visible_q

        self.user = user
        need_ids = _ids(Need.objects.filter(need_scope(user)).exclude(status="borrador").order_by("-submitted_at"))
        event_ids = _ids(event_base(user=user).filter(status="realizada").order_by("-starts_at"))
        need_ids += [n.pk for n in self.initial.get("needs") or []]  # a practice started from a need
        keep = practice is not None
        if keep:  # what it already links stays offered
            need_ids += list(practice.needs.values_list("pk", flat=True))
            event_ids += list(practice.events.values_list("pk", flat=True))
        self.fields["needs"].queryset = Need.objects.filter(pk__in=need_ids).order_by("-submitted_at")
        self.fields["events"].queryset = Event.objects.filter(pk__in=event_ids).order_by("-starts_at")
        own = {"organization_id": user.organization_id} if user.organization_id else {"pk__in": []}
        related = (Q(**own) | Q(needs__pk__in=need_ids) | Q(agenda_events__pk__in=event_ids)
                   | (Q(practices=practice) if keep else Q(pk__in=[])))
        service_ids = set(Service.objects.filter(service_visible_q(user)).filter(related).values_list("pk", flat=True))
        self.fields["services"].queryset = Service.objects.filter(pk__in=service_ids).order_by("name")
        org = user.organization
        territorial_kind = org.kind if org is not None and not user.is_coordinator else None
        if territorial_kind == Organization.Kind.MUNICIPALITY:
            del self.fields["department"], self.fields["municipality_name"]
        elif territorial_kind == Organization.Kind.DEPARTMENT:
            del self.fields["department"]
        if practice is not None and not self.is_bound:
            self.initial.update({f: getattr(practice, f) for f in (
                "kind", "title", "what", "result", "evidence", "evidence_url", "sector", "capacity", "topics",
                "department", "contact_name", "contact_email", "contact_phone", "published")})
            self.initial["municipality_name"] = practice.municipality.display_name if practice.municipality_id else ""
            self.initial.update(needs=list(practice.needs.all()), events=list(practice.events.all()),
                                services=list(practice.services.all()))
        elif not self.is_bound and org is not None:
            self.initial.setdefault("contact_name", user.full_name)
            self.initial.setdefault("contact_email", user.email)

    def clean(self):
        data = super().clean()
        name = (data.get("municipality_name") or "").strip()
        if "municipality_name" in self.fields and name:
            department = data.get("department") or (self.user.organization.department
                                                    if self.user.organization_id else None)
            municipality = municipality_resolve(department=department.code, name=name) if department else None
            if municipality is None:
                self.add_error("municipality_name", _("No encontramos ese municipio en el departamento elegido."))
            data["municipality"] = municipality
        return data

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "municipality_name"}
        data.setdefault("municipality", None)
        data.setdefault("department", None)
        data["capacity"] = data.get("capacity") or ""
        return data


class GuidelineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo"), choices=Guideline.Kind.choices, initial=Guideline.Kind.GUIDE,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Título"), max_length=200)
    summary = forms.CharField(label=_("¿De qué trata?"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    sectors = forms.ModelMultipleChoiceField(label=_("Sectores"), queryset=Sector.objects.order_by("name"),
                                             required=False, widget=forms.CheckboxSelectMultiple)
    capacities = forms.MultipleChoiceField(label=_("Capacidades"), choices=Capacity.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Vacío: todas."))
    categories = forms.MultipleChoiceField(label=_("Categorías municipales"), choices=MunicipalCategory.choices,
                                           required=False, widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Vacío: todas las categorías."))
    services = forms.ModelMultipleChoiceField(label=_("Servicios de su entidad que la usan"), queryset=None,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    published = forms.BooleanField(label=_("Publicarla ya"), required=False, initial=True)
    file = forms.FileField(label=_("Archivo"), help_text=_("PDF, Word, Excel, OpenDocument o imagen."),
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    notes = forms.CharField(label=_("Notas de esta versión"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User, guideline: Guideline | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.offer.models import Service

        owner = guideline.organization_id if guideline is not None else user.organization_id
        qs = Service.objects.all() if user.is_coordinator else Service.objects.filter(organization_id=owner)
        self.fields["services"].queryset = qs.order_by("name")
        if guideline is not None:
            del self.fields["file"], self.fields["notes"]
            if not self.is_bound:
                self.initial.update({f: getattr(guideline, f) for f in (
                    "kind", "title", "summary", "capacities", "categories", "published")})
                self.initial.update(sectors=list(guideline.sectors.all()), services=list(guideline.services.all()))

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("file", "notes")}


class GuidelineVersionForm(forms.Form):
    file = forms.FileField(label=_("Archivo de la nueva versión"),
                           help_text=_("PDF, Word, Excel, OpenDocument o imagen."),
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    notes = forms.CharField(label=_("¿Qué cambió?"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
