"""The offer catalogue: technical-assistance services (oferta = `Service`).

A service belongs to one organisation (a national entity, or a department offering to its
municipalities). It moves borrador → publicado → archivado following `TRANSITIONS`; only
published services are public. Every change is kept by simple_history.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Organization
from apps.core.text import normalize
from apps.core.vocabulary import Capacity, Modality, MunicipalCategory
from apps.territory.models import Department, Sector


class ChoiceSetField(models.CharField):
    """A set of choices stored as ",a,b," so `__contains=",a,"` filters on any database.

    Python side it is a list of choice values; lookups with a plain string pass through
    unchanged (so `capacities__contains=",planeacion,"` works).
    """

    def __init__(self, *args, choice_list=(), **kwargs):
        self.choice_list = list(choice_list)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choice_list"] = self.choice_list
        if kwargs.get("max_length") == 200:
            kwargs.pop("max_length")
        kwargs.pop("blank", None)
        kwargs.pop("default", None)
        return name, path, args, kwargs

    @staticmethod
    def _split(value: str) -> list[str]:
        return [v for v in value.split(",") if v]

    def from_db_value(self, value, expression, connection):
        return self._split(value) if value else []

    def to_python(self, value):
        if isinstance(value, list | tuple | set):
            return list(value)
        return self._split(value) if value else []

    def get_prep_value(self, value):
        if isinstance(value, list | tuple | set):
            chosen = set(value)
            ordered = [v for v, _label in self.choice_list if v in chosen]
            return ("," + ",".join(ordered) + ",") if ordered else ""
        return value if value is not None else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        allowed = dict(self.choice_list)
        wrong = [v for v in value or [] if v not in allowed]
        if wrong:
            raise ValidationError(_("Valor no permitido: %(v)s."), params={"v": ", ".join(wrong)})
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        from django import forms

        defaults = {
            "form_class": forms.MultipleChoiceField,
            "choices": self.choice_list,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for key in ("max_length", "empty_value", "choices_form_class", "coerce"):
            defaults.pop(key, None)
        return form_class(**defaults)


LINK_SCHEMES = ("http", "https", "mailto")
_web_url = URLValidator(schemes=["http", "https"])


def link_is_safe(url: str) -> bool:
    """An http(s) address or a mailto: with one valid e-mail: the only links a page may render."""
    url = url.strip()
    if url.lower().startswith("mailto:"):
        address = url[len("mailto:"):].split("?", 1)[0]
        validate = validate_email
    else:
        address, validate = url, _web_url
    try:
        validate(address)
    except ValidationError:
        return False
    return True


def validate_links(value: str) -> None:
    """Each non-blank line is «https://…», «mailto:…» or «Título | https://…»; nothing else
    (`javascript:`, `data:` …): the same rule for the form, the API and the spreadsheet import."""
    lines = [line for line in (value or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        if not link_is_safe(line.rpartition("|")[2]):
            raise ValidationError(
                _("La línea %(n)d no tiene un enlace válido: debe empezar por https://, http:// o mailto:."),
                params={"n": number}, code="invalid_link",
            )


# What an editor writes about a service: the form, the API serializer and the spreadsheet columns all
# use this list (services.SCALAR_FIELDS is it without the two many-to-many fields).
SERVICE_FIELDS = [
    "name", "summary", "description", "sectors", "topics", "capacities", "assistance_type", "modality",
    "delivery", "audience", "municipal_categories", "nationwide", "departments", "yearly_capacity",
    "duration", "cost_band", "funding_source", "requirements", "contact_name", "contact_email",
    "contact_phone", "valid_from", "valid_until", "links",
]


class AssistanceType(models.TextChoices):
    TRAINING = "capacitacion", _("Capacitación")
    ADVISORY = "acompanamiento", _("Acompañamiento / asesoría")
    ROUNDTABLE = "mesa_tecnica", _("Mesa técnica")
    TOOL = "herramienta", _("Herramienta o guía")
    PROJECTS = "estructuracion", _("Estructuración de proyectos")
    OTHER = "otro", _("Otro")


class Delivery(models.TextChoices):
    CENTRALIZED = "centralizada", _("Centralizada")
    DECONCENTRATED = "desconcentrada", _("Desconcentrada")


class Audience(models.TextChoices):
    MUNICIPALITIES = "municipios", _("Municipios")
    DEPARTMENTS = "departamentos", _("Departamentos")


class CostBand(models.TextChoices):
    FREE = "gratuito", _("Gratuito para la entidad territorial")
    COFUNDED = "cofinanciado", _("Cofinanciado")
    PAID = "con_costo", _("Con costo para la entidad territorial")


class Service(models.Model):
    class Status(models.TextChoices):
        DRAFT = "borrador", _("Borrador")
        PUBLISHED = "publicado", _("Publicado")
        ARCHIVED = "archivado", _("Archivado")

    # Allowed status changes; services.service_transition refuses anything else.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.PUBLISHED, Status.ARCHIVED},
        Status.PUBLISHED: {Status.ARCHIVED},
        Status.ARCHIVED: {Status.DRAFT, Status.PUBLISHED},
    }

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services", verbose_name=_("entidad oferente")
    )
    name = models.CharField(_("nombre del servicio"), max_length=200)
    summary = models.CharField(_("resumen"), max_length=400, help_text=_("Una o dos frases: qué ofrece y a quién."))
    description = models.TextField(_("descripción completa"), blank=True)
    sectors = models.ManyToManyField(Sector, related_name="services", verbose_name=_("sectores"))
    topics = models.CharField(_("temas"), max_length=300, blank=True, help_text=_("Separados por comas."))
    capacities = ChoiceSetField(_("capacidades que fortalece"), choice_list=Capacity.choices)
    assistance_type = models.CharField(_("tipo de asistencia"), max_length=20, choices=AssistanceType.choices)
    modality = models.CharField(_("modalidad"), max_length=12, choices=Modality.choices)
    delivery = models.CharField(
        _("forma de prestación"), max_length=16, choices=Delivery.choices, default=Delivery.CENTRALIZED
    )
    audience = ChoiceSetField(_("dirigido a"), choice_list=Audience.choices)
    municipal_categories = ChoiceSetField(
        _("categorías municipales"), choice_list=MunicipalCategory.choices,
        help_text=_("Vacío: todas las categorías."),
    )
    nationwide = models.BooleanField(_("disponible en todo el país"), default=True)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="services", verbose_name=_("departamentos donde está disponible")
    )
    yearly_capacity = models.PositiveIntegerField(
        _("capacidad anual (entidades territoriales)"), null=True, blank=True
    )
    duration = models.CharField(_("duración típica"), max_length=100, blank=True)
    cost_band = models.CharField(_("costo"), max_length=16, choices=CostBand.choices, default=CostBand.FREE)
    funding_source = models.CharField(_("fuente de financiación"), max_length=200, blank=True)
    requirements = models.TextField(_("requisitos"), blank=True)
    contact_name = models.CharField(_("nombre de contacto"), max_length=150, blank=True)
    contact_email = models.EmailField(_("correo de contacto"))
    contact_phone = models.CharField(_("teléfono de contacto"), max_length=40, blank=True)
    valid_from = models.DateField(_("vigente desde"), null=True, blank=True)
    valid_until = models.DateField(_("vigente hasta"), null=True, blank=True)
    links = models.TextField(
        _("guías y documentos"), blank=True, validators=[validate_links],
        help_text=_("Un enlace por línea; opcionalmente «Título | https://…»."),
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    # Accent-free, lower-case text of the searchable fields: the SQLite search and the source of
    # the PostgreSQL Spanish tsvector (so "planeacion" finds "Planeación").
    search_document = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_document"], m2m_fields=[sectors, departments])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("servicio")
        verbose_name_plural = _("servicios")
        indexes = [models.Index(fields=["status", "name"]), models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="offer_service_valid_period",
                # Said to people in Spanish (admin, full_clean), never the constraint's name;
                # Service.validate_constraints puts it on «vigente hasta».
                violation_error_code="valid_period",
                violation_error_message=_("La fecha final de vigencia no puede ser anterior a la inicial."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived data: recomputed on every save, so no writer (form, API, import) can forget it.
        self.search_document = self.build_search_document()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_document", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("offer:service", args=[self.pk])

    def validate_constraints(self, exclude=None) -> None:
        """As Django's, with the validity-period error on «vigente hasta» instead of the whole form."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            errors.setdefault("valid_until", []).extend(e for e in general if e.code == "valid_period")
            if rest := [e for e in general if e.code != "valid_period"]:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError({k: v for k, v in errors.items() if v}) from None

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def build_search_document(self) -> str:
        return normalize(" ".join([self.name, self.summary, self.description, self.topics,
                                   self.organization.name if self.organization_id else ""]))

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]

    @property
    def link_list(self) -> list[tuple[str, str]]:
        """(title, url) per line; url is "" when it is not http(s) or mailto, so no page renders it."""
        out = []
        for line in self.links.splitlines():
            if not line.strip():
                continue
            title, _sep, url = line.rpartition("|")
            out.append(((title or url).strip(), url.strip() if link_is_safe(url) else ""))
        return out

    def choice_labels(self, field: str) -> list[str]:
        labels = dict(self._meta.get_field(field).choice_list)
        return [str(labels[v]) for v in getattr(self, field) if v in labels]
