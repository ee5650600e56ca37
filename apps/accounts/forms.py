from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization
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
