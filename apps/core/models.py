"""The platform outbox: every notice to a person is a `Notification` row first, e-mailed later.

Written by `apps.core.outbox.notify()` (the one entry point every app calls) and delivered by
`outbox.deliver()` / `outbox.sweep()`; see that module for the lease protocol.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One notice to one person (a user, or an e-mail address for attendees without an account).

    `key` is the idempotency key: one row per key, and the e-mail's Message-ID derives from it.
    Delivery state: pending (no sent_at / failed_at), claimed while `lease_until` is in the
    future, sent (`sent_at`) or failed for good (`failed_at` with `last_error`).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="notifications", verbose_name=_("destinatario"))
    email = models.EmailField(_("correo"), blank=True, help_text=_("Solo para quien no tiene cuenta."))
    kind = models.CharField(_("tipo"), max_length=60)
    subject = models.CharField(_("asunto"), max_length=200)
    text = models.TextField(_("aviso"), max_length=4000)
    link = models.CharField(_("enlace"), max_length=300, blank=True)
    key = models.CharField(_("clave"), max_length=200, unique=True)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    last_error = models.TextField(_("último error"), blank=True)
    created_at = models.DateTimeField(_("creado el"), default=timezone.now)
    claimed_at = models.DateTimeField(_("tomado el"), null=True, blank=True)
    lease_until = models.DateTimeField(_("reservado hasta"), null=True, blank=True)
    sent_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    failed_at = models.DateTimeField(_("falló el"), null=True, blank=True)
    read_at = models.DateTimeField(_("leído el"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False) & Q(email="")) | (Q(recipient__isnull=True) & ~Q(email="")),
                name="core_notice_one_addressee",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="core_notice_recipient_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="core_notice_unread_idx"),
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                         name="core_notice_pending_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.email

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        return "pending"


class Activity(models.Model):
    """One thing that happened to a territory or an organisation: the memory the timelines read.

    Written by the services of every app through `apps.core.activity.record()` (one row per key,
    so a retried service writes it once), never reassembled from the other tables on a page view.
    A municipal row also carries its department, so a department's timeline is one indexed filter.
    """

    key = models.CharField(_("clave"), max_length=200, unique=True)
    kind = models.CharField(_("tipo"), max_length=40)  # e.g. "need.filed", "event.done", "followup.answered"
    title = models.CharField(_("qué pasó"), max_length=300)
    text = models.TextField(_("detalle"), blank=True, max_length=4000)
    link = models.CharField(_("enlace"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("fecha"), default=timezone.now)
    municipality = models.ForeignKey("territory.Municipality", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("municipio"))
    department = models.ForeignKey("territory.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("departamento"))
    organization = models.ForeignKey("accounts.Organization", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("organización"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("quién"))
    # Values a timeline or a report shows without another query (e.g. {"capacity": "planeacion", "change": 2}).
    data = models.JSONField(_("datos"), default=dict, blank=True)
    # Private rows (a follow-up's personal answers) show to the territory and coordinators only.
    public = models.BooleanField(_("visible para todos"), default=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("actividad")
        verbose_name_plural = _("actividades")
        indexes = [
            models.Index(fields=["municipality", "-occurred_at"], name="core_activity_muni_idx"),
            models.Index(fields=["department", "-occurred_at"], name="core_activity_dept_idx"),
            models.Index(fields=["organization", "-occurred_at"], name="core_activity_org_idx"),
        ]

    def __str__(self) -> str:
        return self.title
