"""Monitoring: follow-up surveys of realised events, and indicator figures frozen with their period.

A follow-up is an `Invitation`: one expected respondent of one event for one `FollowUpTemplate`
(who answers what, and when). Its link is signed and single use (apps.monitoring.links); the
answer is a live `apps.surveys.Submission` (source_key "followup:<id>"), so the survey engine holds
the 2021 imports and the follow-ups alike. E-mails and reminders are outbox rows written by beat.

Capacity change is measured, not guessed: a CAPACITY_BEFORE invitation is sent when the event is
confirmed and a CAPACITY_AFTER one `send_after_days` (90) after it was realised, each with the
capacities the event's needs named; change = after − before, per respondent territory and capacity.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Organization
from apps.territory.models import Department, Municipality


class Audience(models.TextChoices):
    TERRITORY = "territorio", _("Participantes del territorio")
    PROVIDER = "entidad", _("Equipo de la entidad que prestó la asistencia")
    CAPACITY_BEFORE = "capacidad_antes", _("Autoevaluación de capacidades (antes)")
    CAPACITY_AFTER = "capacidad_despues", _("Autoevaluación de capacidades (después)")


CAPACITY_AUDIENCES = (Audience.CAPACITY_BEFORE, Audience.CAPACITY_AFTER)


def default_reminder_days() -> list[int]:
    return [3, 7]


class FollowUpTemplate(models.Model):
    """Who is asked what and when; admins edit it (and the survey's questions and options)."""

    audience = models.CharField(_("a quién"), max_length=20, choices=Audience.choices, unique=True)
    survey = models.ForeignKey("surveys.Survey", on_delete=models.PROTECT, related_name="followup_templates",
                               verbose_name=_("encuesta"))
    active = models.BooleanField(_("activa"), default=True)
    send_after_days = models.PositiveSmallIntegerField(
        _("enviar a los (días)"), default=0,
        help_text=_("Días después del hecho que la dispara (realizada o confirmada). 90 para la medición de después."))
    valid_days = models.PositiveSmallIntegerField(_("el enlace vence a los (días)"), default=30)
    reminder_days = models.JSONField(_("recordar a los (días)"), default=default_reminder_days, blank=True,
                                     help_text=_("Días después del envío, por ejemplo [3, 7]."))
    subject = models.CharField(_("asunto del correo"), max_length=200)
    intro = models.TextField(_("texto del correo"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["audience"]
        verbose_name = _("plantilla de seguimiento")
        verbose_name_plural = _("plantillas de seguimiento")

    def __str__(self) -> str:
        return self.get_audience_display()


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """One person asked to answer one follow-up of one event (a "seguimiento")."""

    event = models.ForeignKey("agenda.Event", on_delete=models.CASCADE, related_name="followups",
                              verbose_name=_("jornada"))
    template = models.ForeignKey(FollowUpTemplate, on_delete=models.PROTECT, related_name="invitations")
    audience = models.CharField(_("a quién"), max_length=20, choices=Audience.choices)
    name = models.CharField(_("nombre"), max_length=150, blank=True)
    email = models.EmailField(_("correo"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("organización"))
    # The territory the respondent speaks for (territorial and capacity audiences).
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("municipio"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("departamento"))
    # Capacity audiences: the capacity codes the event's needs named (the questions shown).
    capacities = models.JSONField(_("capacidades"), default=list, blank=True)
    send_at = models.DateTimeField(_("enviar desde"))
    sent_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    expires_at = models.DateTimeField(_("vence el"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("recordatorios enviados"), default=0)
    answered_at = models.DateTimeField(_("respondido el"), null=True, blank=True)
    submission = models.OneToOneField("surveys.Submission", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="followup", verbose_name=_("respuesta"))
    # The draft need opened by "¿necesita más asistencia sobre este tema?" = sí.
    opened_need = models.ForeignKey("demand.Need", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("solicitud abierta"))
    # Part of the signed link: changing it invalidates links already sent.
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("seguimiento")
        verbose_name_plural = _("seguimientos")
        constraints = [
            models.UniqueConstraint(fields=["event", "audience", "email"], name="monitoring_invitation_unique"),
        ]
        indexes = [
            models.Index(fields=["send_at"], condition=Q(sent_at__isnull=True), name="monitoring_inv_due_idx"),
            models.Index(fields=["sent_at"], condition=Q(answered_at__isnull=True, sent_at__isnull=False),
                         name="monitoring_inv_unanswered_idx"),
            models.Index(fields=["municipality", "audience"], name="monitoring_inv_muni_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} · {self.email} · #{self.event_id}"


class FrozenPeriod(models.Model):
    """A closed monitoring period: its indicators as computed when closed, never recomputed.

    `figures` holds the whole API payload of the indicators for the period (values and breakdowns),
    so the dashboard, the API and the exports read the same frozen numbers.
    """

    period = models.OneToOneField("agenda.AgendaPeriod", on_delete=models.PROTECT, related_name="frozen",
                                  verbose_name=_("periodo"))
    figures = models.JSONField(_("cifras"), default=dict)
    closed_at = models.DateTimeField(_("cerrado el"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("cerrado por"))

    class Meta:
        ordering = ["-closed_at"]
        verbose_name = _("periodo cerrado de seguimiento")
        verbose_name_plural = _("periodos cerrados de seguimiento")

    def __str__(self) -> str:
        return str(self.period)
