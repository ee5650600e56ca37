from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.authentication import normalize_login
from apps.accounts.models import Organization, User
from apps.accounts.services import user_password_set
from apps.core.validators import SingleLineFormMixin


class OrganizationContactForm(SingleLineFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["email", "phone", "address"]


class UsersImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV"),
        help_text=_("Columnas: email, organization (código DIVIPOLA, sigla o DNP), role, full_name, password."),
    )
    dry_run = forms.BooleanField(label=_("Solo revisar, no crear"), required=False, initial=True)


class PasswordSaveMixin:
    """Django's password forms, saving through `services.user_password_set` (which also ends the
    person's API token), whatever page sets the password: change, reset, invitation, admin."""

    def set_password_and_save(self, user, password_field_name="password1", commit=True):  # noqa: S107
        password = self.cleaned_data.get(password_field_name)
        if self.cleaned_data.get("set_usable_password") is False:  # the admin's "disable password"
            password = None
        user_password_set(user=user, password=password)
        return user


class SetPasswordForm(PasswordSaveMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(PasswordSaveMixin, auth_forms.PasswordChangeForm):
    pass


class AdminPasswordChangeForm(PasswordSaveMixin, auth_forms.AdminPasswordChangeForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """«¿Olvidó su contraseña?» also for people who never had one (imported without a password):
    Django's form skips unusable passwords, which left them no way in."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=normalize_login(email), is_active=True)
