from django import forms
from django.utils.translation import gettext_lazy as _

from apps.surveys.reader import BadFile, check_size


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo de la encuesta"),
        help_text=_("La exportación de Microsoft Forms en .xlsx o .csv. Primero verá una vista previa; "
                    "nada se guarda hasta que confirme."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except BadFile as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class UnitForm(forms.Form):
    unit = forms.ChoiceField(
        label=_("Contar"), required=False, initial="entity",
        choices=[("entity", _("Entidades (última respuesta de cada una)")), ("submission", _("Todas las respuestas"))],
    )
