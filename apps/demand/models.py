"""Demand: the technical-assistance needs territories file (solicitud = `Need`).

A need belongs to the organisation that filed it (a municipality or a department) and is about
one territory: the filing municipality, the department itself, or one of the department's
municipalities when the department files on its behalf (one need per municipality, so each one
is followed, scheduled and answered on its own).

Its status follows `TRANSITIONS`, the one table of who may move it where; every move is a
`NeedStatusEvent` row (who, when, why) and every field change is kept by simple_history.
Notices to people go through the platform outbox (`apps.core.outbox.notify`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Organization
from apps.core.vocabulary import Capacity, Modality  # one vocabulary, so needs and services match
from apps.territory.models import Department, Municipality, Sector


class Priority(models.TextChoices):
    HIGH = "alta", _("Alta")
    MEDIUM = "media", _("Media")
    LOW = "baja", _("Baja")


class Status(models.TextChoices):
    DRAFT = "borrador", _("Borrador")
    FILED = "radicada", _("Radicada")
    IN_REVIEW = "en_revision", _("En revisión")
    SCHEDULED = "programada", _("Programada")
    ATTENDED = "atendida", _("Atendida")
    CLOSED = "cerrada", _("Cerrada")
    REJECTED = "rechazada", _("Rechazada")
    REDIRECTED = "redirigida", _("Redirigida")


class Actor(models.TextChoices):
    TERRITORY = "territory", _("la entidad territorial que radicó la solicitud")
    COORDINATOR = "coordinator", _("la coordinación DNP")
    EITHER = "either", _("la entidad territorial o la coordinación DNP")


@dataclass(frozen=True)
class Transition:
    action: str  # the verb used by the API and the forms
    sources: tuple[str, ...]
    target: str
    actor: str
    label: str
    needs_reason: bool = False
    # False: the agenda applies it (accepting a match or a jornada schedules the need), so no
    # button or API action list offers it; the service still checks it like any other.
    by_hand: bool = True


# Who may do what: the only place the workflow is defined. services.need_transition refuses
# anything not listed here (and the API answers 400 with the Spanish reason).
TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", (Status.DRAFT,), Status.FILED, Actor.TERRITORY, _("Radicar")),
    Transition("review", (Status.FILED,), Status.IN_REVIEW, Actor.COORDINATOR, _("Pasar a revisión")),
    Transition("schedule", (Status.FILED, Status.IN_REVIEW), Status.SCHEDULED, Actor.COORDINATOR,
               _("Programar en la agenda"), by_hand=False),
    Transition("unschedule", (Status.SCHEDULED,), Status.IN_REVIEW, Actor.COORDINATOR,
               _("Devolver a revisión"), needs_reason=True),
    Transition("attend", (Status.SCHEDULED,), Status.ATTENDED, Actor.COORDINATOR, _("Marcar como atendida")),
    Transition("close", (Status.ATTENDED,), Status.CLOSED, Actor.EITHER, _("Cerrar")),
    Transition("reject", (Status.FILED, Status.IN_REVIEW), Status.REJECTED, Actor.COORDINATOR,
               _("Rechazar"), needs_reason=True),
    Transition("redirect", (Status.FILED, Status.IN_REVIEW), Status.REDIRECTED, Actor.COORDINATOR,
               _("Redirigir"), needs_reason=True),
)
TRANSITIONS_BY_ACTION = {t.action: t for t in TRANSITIONS}
OPEN_STATUSES = (Status.FILED, Status.IN_REVIEW, Status.SCHEDULED)


class Need(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="needs", verbose_name=_("radicada por")
    )
    # Denormalised from the territory so "everything in Cundinamarca" is one indexed filter.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="needs", verbose_name=_("departamento")
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="needs",
        verbose_name=_("municipio"), help_text=_("Vacío cuando la solicitud es del departamento."),
    )
    # A draft keeps partial work: only the topic is required until the need is radicada
    # (services.FILING_REQUIRED lists what filing asks for).
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="needs",
                               verbose_name=_("sector"))
    topic = models.CharField(_("tema"), max_length=200)
    capacity = models.CharField(_("capacidad que quiere fortalecer"), max_length=20, choices=Capacity.choices,
                                blank=True)
    problem = models.TextField(_("¿Qué problema tienen?"), blank=True)
    expected_result = models.TextField(_("¿Qué resultado esperan?"), blank=True)
    plan_goal = models.CharField(
        _("meta del plan de desarrollo"), max_length=300, blank=True,
        help_text=_("La meta o programa del plan de desarrollo al que aporta, si lo sabe."),
    )
    priority = models.CharField(_("prioridad"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    modality = models.CharField(_("modalidad preferida"), max_length=12, choices=Modality.choices,
                                default=Modality.MIXED)
    window_start = models.DateField(_("desde"), null=True, blank=True)
    window_end = models.DateField(_("hasta"), null=True, blank=True)
    participants = models.PositiveSmallIntegerField(_("funcionarios que participarían"), default=1)
    service = models.ForeignKey(
        "offer.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="needs",
        verbose_name=_("servicio del catálogo que solicita"),
    )
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(
        _("motivo"), blank=True, help_text=_("Por qué se rechazó, redirigió o devolvió; lo lee el territorio."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("creada por"),
    )
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    submitted_at = models.DateTimeField(_("radicada el"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("último cambio de estado"), null=True, blank=True)
    # The filing form's one-time token (or the API's Idempotency-Key): a second POST with it
    # returns the needs the first one created instead of filing them again. A department's batch
    # shares it, one need per municipality.
    submission_key = models.CharField(_("clave de envío"), max_length=64, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    # Set by services.need_file on needs it returns from an earlier submission with the same key.
    replayed = False

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("solicitud")
        verbose_name_plural = _("solicitudes")
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="demand_need_status_idx"),
            models.Index(fields=["department", "status"], name="demand_need_dept_idx"),
            models.Index(fields=["organization", "status"], name="demand_need_org_idx"),
            models.Index(fields=["-submitted_at", "-id"], name="demand_need_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__isnull=True) | models.Q(window_start__isnull=True)
                | models.Q(window_end__gte=models.F("window_start")),
                name="demand_need_window",
            ),
            # One need per submission and territory; NULLs are distinct in a unique index, hence
            # the second constraint for the department's own need (no municipality).
            models.UniqueConstraint(fields=["created_by", "submission_key", "municipality"],
                                    name="demand_need_submission_once"),
            models.UniqueConstraint(fields=["created_by", "submission_key"],
                                    condition=models.Q(municipality__isnull=True),
                                    name="demand_need_submission_once_dept"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("demand:detail", args=[self.pk])

    @property
    def territory_name(self) -> str:
        if self.municipality_id:
            return self.municipality.display_name
        return self.department.display_name

    @property
    def filed_on_behalf(self) -> bool:
        return self.organization.kind == Organization.Kind.DEPARTMENT and self.municipality_id is not None

    @property
    def status_badge(self) -> str:
        return {
            Status.DRAFT: "", Status.FILED: "warn", Status.IN_REVIEW: "warn", Status.SCHEDULED: "ok",
            Status.ATTENDED: "ok", Status.CLOSED: "", Status.REJECTED: "err", Status.REDIRECTED: "err",
        }.get(self.status, "")


class NeedStatusEvent(models.Model):
    """One status change: who moved the need, from where to where, when and why."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("de"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("motivo"), blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("cambios de estado")

    def __str__(self) -> str:
        return f"#{self.need_id}: {self.from_status} → {self.to_status}"


class NeedMessage(models.Model):
    """The conversation between the territory and the coordinators about one need."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("mensaje"), max_length=5000)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    # The message form's one-time token (or the API's Idempotency-Key): posting twice writes once.
    submission_key = models.CharField(_("clave de envío"), max_length=64, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    # Set by services.need_message_add on a message it returns from an earlier post with the same key.
    replayed = False

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("mensaje")
        verbose_name_plural = _("mensajes")
        constraints = [
            models.UniqueConstraint(fields=["author", "submission_key"], name="demand_message_submission_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.need_id}: {self.body[:60]}"
