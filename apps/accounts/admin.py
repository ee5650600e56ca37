from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts.forms import AdminPasswordChangeForm
from apps.accounts.models import Organization, User
from apps.accounts.services import user_invite


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "department", "email"]
    list_filter = ["kind", "department"]
    search_fields = ["name", "national_entity__acronym", "municipality__code"]
    autocomplete_fields = ["municipality", "department", "national_entity"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    change_password_form = AdminPasswordChangeForm  # also ends the person's API token
    ordering = ["email"]
    list_display = ["email", "full_name", "organization", "role", "is_active"]
    list_filter = ["role", "is_active", "organization__kind"]
    search_fields = ["email", "full_name", "organization__name"]
    autocomplete_fields = ["organization"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persona"), {"fields": ("full_name", "organization", "role")}),
        (_("Permisos"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Fechas"), {"fields": ("last_login", "date_joined")}),
    )
    actions = ["send_invitation"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "organization", "role", "password1", "password2")}),
    )

    @admin.action(description=_("Enviar invitación a crear la contraseña"))
    def send_invitation(self, request, queryset):
        """A new invitation (the previous link stops working) to each selected person without a password."""
        with transaction.atomic():
            sent = sum(user_invite(user=user, renew=True) for user in queryset.select_related("organization"))
        skipped = queryset.count() - sent
        self.message_user(request, ngettext("Se envió %(n)d invitación.", "Se enviaron %(n)d invitaciones.", sent)
                          % {"n": sent}, messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(n)d persona ya tiene contraseña o está inactiva: no se le envió invitación.",
                "%(n)d personas ya tienen contraseña o están inactivas: no se les envió invitación.", skipped,
            ) % {"n": skipped}, messages.WARNING)
