from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.core import outbox
from apps.core.models import Notification


class StateFilter(admin.SimpleListFilter):
    title = _("estado")
    parameter_name = "estado"

    def lookups(self, request, model_admin):
        return [("pendiente", _("Pendiente")), ("en_curso", _("En curso (reservado)")),
                ("enviado", _("Enviado")), ("fallido", _("Fallido"))]

    def queryset(self, request, queryset):
        unsent = Q(sent_at__isnull=True, failed_at__isnull=True)
        leased = Q(lease_until__gt=timezone.now())
        return {
            "pendiente": queryset.filter(unsent & ~leased),
            "en_curso": queryset.filter(unsent & leased),
            "enviado": queryset.filter(sent_at__isnull=False),
            "fallido": queryset.filter(failed_at__isnull=False),
        }.get(self.value(), queryset)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "addressee", "kind", "subject", "state_label", "attempts", "sent_at", "read_at"]
    list_filter = [StateFilter, "kind"]
    search_fields = ["key", "subject", "email", "recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False  # notices are written by the applications, through outbox.notify()

    @admin.display(description=_("para"))
    def addressee(self, obj: Notification) -> str:
        return obj.address

    @admin.display(description=_("estado"))
    def state_label(self, obj: Notification) -> str:
        if obj.sent_at:
            return _("enviado")
        if obj.failed_at:
            return _("fallido: %(error)s") % {"error": obj.last_error[:80]}
        if obj.lease_until and obj.lease_until > timezone.now():
            return _("en curso")
        return _("pendiente")

    @admin.action(description=_("Reintentar el envío"))
    def retry(self, request, queryset):
        count = outbox.notifications_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext("%(n)d aviso vuelve a la cola de envío.",
                                            "%(n)d avisos vuelven a la cola de envío.", count) % {"n": count},
                          messages.SUCCESS)
