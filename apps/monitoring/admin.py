"""Admin of the follow-ups: admins edit the templates (delays, reminders, the e-mail, which survey;
the survey's questions and options in the surveys admin); invitations are read-only, with one
action, «Reenviar el enlace», that goes through the service (a new link, the old one revoked)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.monitoring import services
from apps.monitoring.models import FollowUpTemplate, FrozenPeriod, Invitation


class ReminderDaysField(forms.CharField):
    """"3, 7" in the form, [3, 7] in the database."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = (super().to_python(value) or "").replace(";", ",")
        try:
            days = sorted({int(part) for part in text.split(",") if part.strip()})
        except ValueError:
            raise ValidationError(_("Escriba días enteros separados por comas, por ejemplo «3, 7».")) from None
        if any(d < 1 or d > 365 for d in days):
            raise ValidationError(_("Cada recordatorio va entre 1 y 365 días después del envío."))
        return days


class TemplateForm(forms.ModelForm):
    reminder_days = ReminderDaysField(label=_("recordar a los (días)"), required=False,
                                      help_text=_("Días después del envío, separados por comas; por ejemplo «3, 7». "
                                                  "Vacío: sin recordatorios."))

    class Meta:
        model = FollowUpTemplate
        fields = ["audience", "survey", "active", "send_after_days", "valid_days", "reminder_days", "subject",
                  "intro"]
        help_texts = {"subject": _("«{jornada}» se reemplaza por el título de la jornada y «{fecha}» por su fecha."),
                      "intro": _("Va antes del enlace. Puede usar «{jornada}» y «{fecha}».")}

    def clean_valid_days(self) -> int:
        days = self.cleaned_data["valid_days"]
        if days < 1:
            raise ValidationError(_("El enlace debe servir al menos un día."))
        return days


@admin.register(FollowUpTemplate)
class FollowUpTemplateAdmin(SimpleHistoryAdmin):
    form = TemplateForm
    list_display = ["audience", "survey_link", "active", "send_after_days", "valid_days", "reminder_days"]
    list_editable = ["active"]

    @admin.display(description=_("encuesta"))
    def survey_link(self, obj: FollowUpTemplate) -> str:
        url = reverse("admin:surveys_survey_change", args=[obj.survey_id])
        return format_html('<a href="{}">{}</a>', url, obj.survey)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # invitations point at it; deactivate instead


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "audience", "email", "sent_at", "reminders_sent", "answered_at", "expires_at"]
    list_filter = ["audience", ("answered_at", admin.EmptyFieldListFilter), ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "name", "event__title"]
    list_select_related = ["event"]
    date_hierarchy = "send_at"
    actions = ["resend"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Reenviar el enlace (el anterior deja de servir)"))
    def resend(self, request, queryset) -> None:
        done = 0
        for invitation in queryset:
            try:
                services.invitation_resend(user=request.user, invitation=invitation)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{invitation.email}: {' '.join(getattr(exc, 'messages', [str(exc)]))}",
                                  messages.WARNING)
        if done:
            self.message_user(request, _("Enlaces reenviados: %(n)s.") % {"n": done}, messages.SUCCESS)


@admin.register(FrozenPeriod)
class FrozenPeriodAdmin(admin.ModelAdmin):
    list_display = ["period", "closed_at", "closed_by"]
    readonly_fields = ["period", "figures", "closed_at", "closed_by"]

    def has_add_permission(self, request) -> bool:
        return False  # closed from the dashboard (services.period_freeze)
