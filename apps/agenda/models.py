"""The coordinated agenda: events (jornada = `Event`) that deliver services to territories.

An event is delivered by one or more organisations (a joint mission has several), in one or
more territories (municipalities and/or departments), delivers catalogue services and answers
filed needs. Its status follows `TRANSITIONS`; every move is an `EventStatusEvent` row and every
field change is kept by simple_history.

Rescheduling: the action "reschedule" moves the dates and leaves the event *propuesta* (it has
to be confirmed again for the new dates); the move is recorded as a status event
"→ reprogramada" with the reason and the old dates, followed by "reprogramada → propuesta", so the
history shows that it was reprogrammed and why while the event itself stays on the agenda.

Periods (`AgendaPeriod`) close and publish the agenda of a stretch of time (e.g. a quarter): the
published agenda is public and is what "plan vs. delivered" is measured against.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Organization
from apps.core.vocabulary import Modality
from apps.territory.models import Department, Municipality


class Kind(models.TextChoices):
    TECHNICAL_ASSISTANCE = "asistencia_tecnica", _("Asistencia técnica")
    DIAGNOSTIC_MISSION = "mision_diagnostico", _("Misión de diagnóstico")
    WORKSHOP = "taller", _("Taller")
    TRAINING = "capacitacion", _("Capacitación")
    ROUNDTABLE = "mesa_tecnica", _("Mesa técnica")


class Status(models.TextChoices):
    PROPOSED = "propuesta", _("Propuesta")
    CONFIRMED = "confirmada", _("Confirmada")
    DONE = "realizada", _("Realizada")
    CANCELLED = "cancelada", _("Cancelada")
    RESCHEDULED = "reprogramada", _("Reprogramada")


@dataclass(frozen=True)
class Transition:
    action: str  # the verb used by the API and the forms
    sources: tuple[str, ...]
    target: str
    label: str
    needs_reason: bool = False
    coordinator_only: bool = False


# The only place the event workflow is defined; services.event_transition refuses anything else.
# "reschedule" lands on PROPOSED (see the module docstring): the status event records REPROGRAMADA.
TRANSITIONS: tuple[Transition, ...] = (
    Transition("confirm", (Status.PROPOSED,), Status.CONFIRMED, _("Confirmar"), coordinator_only=True),
    Transition("complete", (Status.CONFIRMED,), Status.DONE, _("Marcar como realizada")),
    Transition("cancel", (Status.PROPOSED, Status.CONFIRMED), Status.CANCELLED, _("Cancelar"), needs_reason=True),
    Transition("reschedule", (Status.PROPOSED, Status.CONFIRMED), Status.PROPOSED, _("Reprogramar"),
               needs_reason=True),
)
TRANSITIONS_BY_ACTION = {t.action: t for t in TRANSITIONS}
ACTIVE_STATUSES = (Status.PROPOSED, Status.CONFIRMED)


class AgendaPeriod(models.Model):
    class Status(models.TextChoices):
        OPEN = "abierto", _("Abierto")
        CLOSED = "cerrado", _("Cerrado")
        PUBLISHED = "publicado", _("Publicado")

    name = models.CharField(_("nombre"), max_length=40, unique=True, help_text=_("Por ejemplo 2027-T1."))
    starts_on = models.DateField(_("desde"))
    ends_on = models.DateField(_("hasta"))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.OPEN)
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("publicado por"),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("periodo de la agenda")
        verbose_name_plural = _("periodos de la agenda")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="agenda_period_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class EventQuerySet(models.QuerySet):
    """Events whose providers, territories and services can be loaded in one query per relation.

    `with_links()` does what `prefetch_related` does for those four relations, without its cost
    of one queryset per event (a second for a thousand events): after the events are fetched,
    each relation is one query whose rows carry their event id (apps/agenda/links.py).
    """

    _links: tuple[str, ...] = ()

    def with_links(self, *fields: str) -> "EventQuerySet":
        clone = self._chain()
        clone._links = fields or ("providers", "municipalities", "departments", "services")
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._links = self._links
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._links and self._result_cache and isinstance(self._result_cache[0], Event):
            from apps.agenda.links import attach

            attach(self._result_cache, self._links)


class Event(models.Model):
    Kind = Kind
    Status = Status

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.TECHNICAL_ASSISTANCE)
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    status_reason = models.TextField(_("motivo"), blank=True)
    starts_at = models.DateTimeField(_("inicio"))
    ends_at = models.DateTimeField(_("fin"))
    modality = models.CharField(_("modalidad"), max_length=12, choices=Modality.choices, default=Modality.ONSITE)
    place = models.CharField(_("lugar"), max_length=250, blank=True)
    video_url = models.URLField(_("enlace de la videollamada"), blank=True)
    providers = models.ManyToManyField(
        Organization, related_name="agenda_events", verbose_name=_("entidades que la prestan")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="agenda_events", verbose_name=_("municipios")
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="agenda_events", verbose_name=_("departamentos")
    )
    services = models.ManyToManyField(
        "offer.Service", blank=True, related_name="agenda_events", verbose_name=_("servicios")
    )
    # Not "events": Need.events is already the demand status history (NeedStatusEvent).
    needs = models.ManyToManyField(
        "demand.Need", blank=True, related_name="agenda_events", verbose_name=_("solicitudes")
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="agenda_responsibilities",
        verbose_name=_("responsables"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("creada por"),
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_sources",
        verbose_name=_("fusionada en"),
    )
    period = models.ForeignKey(
        AgendaPeriod, null=True, blank=True, on_delete=models.SET_NULL, related_name="events",
        verbose_name=_("periodo"),
    )
    recorded_after_the_fact = models.BooleanField(
        _("registrada después de realizada"), default=False,
        help_text=_("Asistencia prestada por fuera de la plataforma y registrada después."),
    )
    cost = models.DecimalField(_("costo (COP)"), max_digits=14, decimal_places=0, null=True, blank=True)
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[providers, municipalities, departments, services, needs])

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("jornada")
        verbose_name_plural = _("jornadas")
        indexes = [
            models.Index(fields=["starts_at"], name="agenda_event_starts_idx"),
            models.Index(fields=["status", "starts_at"], name="agenda_event_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")),
                                   name="agenda_event_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:event", args=[self.pk])

    @property
    def is_joint(self) -> bool:
        """A joint mission: delivered by more than one organisation (uses the prefetch if any)."""
        return len(self.providers.all()) > 1

    @property
    def is_published(self) -> bool:
        return self.period_id is not None and self.period.status == AgendaPeriod.Status.PUBLISHED

    @property
    def status_badge(self) -> str:
        return {Status.PROPOSED: "warn", Status.CONFIRMED: "ok", Status.DONE: "ok",
                Status.CANCELLED: "err", Status.RESCHEDULED: "warn"}.get(self.status, "")


class EventStatusEvent(models.Model):
    """One status change of an event: who, when, from, to and why (and the old dates if moved)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="status_events")
    from_status = models.CharField(_("de"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("motivo"), blank=True)
    previous_starts_at = models.DateTimeField(_("inicio anterior"), null=True, blank=True)
    previous_ends_at = models.DateTimeField(_("fin anterior"), null=True, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cambio de estado de jornada")
        verbose_name_plural = _("cambios de estado de jornadas")

    def __str__(self) -> str:
        return f"#{self.event_id}: {self.from_status} → {self.to_status}"


class Attendee(models.Model):
    """A person expected at an event; monitoring sends them the follow-up survey."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("nombre"), max_length=150)
    email = models.EmailField(_("correo"))
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("organización"),
    )
    organization_name = models.CharField(_("organización (texto)"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("asistente")
        verbose_name_plural = _("asistentes")
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="agenda_attendee_unique_email")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The private iCalendar feed of one organisation: a secret URL, revoked by rotating it."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revocado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendario privado")
        verbose_name_plural = _("calendarios privados")

    def __str__(self) -> str:
        return f"{self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("agenda:feed", args=[self.token])
