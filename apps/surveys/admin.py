"""Admin of the surveys: admins edit definitions (questions, options, levels, help, roles).

Answers are never edited here. Once a survey holds answers (imported or live) the things that tie
them to their questions stay fixed: the survey's slug, unit and mode, each question's key and type,
and no question or option is deleted (an import matches its columns by the questions, results
group the answers by question and option).
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.surveys.models import ROLE_WORD, ImportBatch, Option, Question, RejectedRow, Submission, Survey

LEVELS = [f"level_{n}" for n in range(1, 6)]
LEVEL_INPUT = forms.TextInput(attrs={"style": "width:100%;max-width:40rem"})


def has_answers(survey: Survey | None) -> bool:
    return survey is not None and survey.pk is not None and Submission.objects.filter(survey=survey).exists()


class QuestionForm(forms.ModelForm):
    """A question with its five scale levels as five plain fields instead of a JSON list."""

    level_1 = forms.CharField(label=_("Nivel 1"), max_length=200, required=False, widget=LEVEL_INPUT)
    level_2 = forms.CharField(label=_("Nivel 2"), max_length=200, required=False, widget=LEVEL_INPUT)
    level_3 = forms.CharField(label=_("Nivel 3"), max_length=200, required=False, widget=LEVEL_INPUT)
    level_4 = forms.CharField(label=_("Nivel 4"), max_length=200, required=False, widget=LEVEL_INPUT)
    level_5 = forms.CharField(label=_("Nivel 5"), max_length=200, required=False, widget=LEVEL_INPUT)

    class Meta:
        model = Question
        fields = ["survey", "position", "key", "type", "header", "help_text", "required", "label", "role",
                  "capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in zip(LEVELS, self.instance.levels or [], strict=False):
            self.fields[name].initial = text

    def clean_role(self) -> str:
        role = " ".join(self.cleaned_data.get("role", "").split())
        if any(not ROLE_WORD.match(word) for word in role.split()):
            raise forms.ValidationError(
                _("Use palabras en minúscula con guion bajo, separadas por espacios; un orden va tras dos puntos "
                  "(«baseline:2»)."))
        return role

    def clean(self):
        cleaned = super().clean()
        levels = [(cleaned.get(name) or "").strip() for name in LEVELS]
        kind = cleaned.get("type") if "type" in self.fields else self.instance.type  # read-only once answered
        if kind == Question.Type.SCALE:
            missing = [name for name, text in zip(LEVELS, levels, strict=True) if not text]
            if missing:
                self.add_error(None, _("Una pregunta de escala necesita exactamente cinco niveles, cada uno "
                                       "descrito en palabras sencillas."))
                for name in missing:
                    self.add_error(name, _("Describa este nivel."))
        elif any(levels):
            self.add_error(None, _("Solo las preguntas de escala de 1 a 5 llevan niveles."))
        if cleaned.get("capacity") and kind != Question.Type.SCALE:
            self.add_error("capacity", _("La capacidad se evalúa con una pregunta de escala de 1 a 5."))
        self.instance.levels = levels if kind == Question.Type.SCALE else []
        self._check_fixed_fields(cleaned)
        return cleaned

    def _check_fixed_fields(self, cleaned: dict) -> None:
        """A question that already has answers keeps its key and type."""
        if self.instance.pk is None or not has_answers(self.instance.survey):
            return
        for name, message in (("key", _("La encuesta ya tiene respuestas: la clave de la pregunta no puede cambiar.")),
                              ("type", _("La encuesta ya tiene respuestas: el tipo de la pregunta no puede cambiar."))):
            if name in self.changed_data and name in cleaned:
                self.add_error(name, message)


LEVEL_FIELDSET = (_("Niveles (solo escala de 1 a 5: qué significa cada nivel)"),
                  {"classes": ["collapse"], "fields": LEVELS})


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    extra = 0
    show_change_link = True  # the question's own page edits its options
    ordering = ["position"]
    fieldsets = [
        (None, {"fields": [("position", "key", "type", "required"), "header", "help_text",
                           ("label", "role", "capacity")]}),
        LEVEL_FIELDSET,
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not has_answers(obj)


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "title", "unit", "mode", "year", "current_batch", "links"]
    list_filter = ["mode", "unit", "year"]
    inlines = [QuestionInline]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["slug", "unit", "mode"] if has_answers(obj) else []
        return ["current_batch", *fixed]

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not has_answers(obj)

    @admin.display(description=_("Importar y resultados"))
    def links(self, obj: Survey) -> str:
        if obj.is_live:
            return format_html('<a href="{}">{}</a>', reverse("surveys:results", args=[obj.slug]), _("Resultados"))
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                           reverse("surveys:upload", args=[obj.slug]), _("Importar"),
                           reverse("surveys:results", args=[obj.slug]), _("Resultados"))


class OptionInline(admin.TabularInline):
    model = Option
    fields = ["position", "text", "alias"]
    extra = 0
    ordering = ["position"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not has_answers(obj.survey if obj else None)


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    form = QuestionForm
    list_display = ["key", "survey", "type", "header", "role"]
    list_filter = ["survey", "type"]
    search_fields = ["key", "header", "label", "role"]
    list_select_related = ["survey"]
    inlines = [OptionInline]
    fieldsets = [
        (None, {"fields": ["survey", ("position", "key", "type", "required"), "header", "help_text",
                           ("label", "role", "capacity")]}),
        LEVEL_FIELDSET,
    ]

    def get_readonly_fields(self, request, obj=None):
        # The key and type of an answered question are fixed (the form checks it too, for the inline).
        return ["survey", "key", "type"] if obj is not None and has_answers(obj.survey) else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj is not None and has_answers(obj.survey))


class RejectedRowInline(admin.TabularInline):
    model = RejectedRow
    fields = ["row_number", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ImportBatch)
class ImportBatchAdmin(SimpleHistoryAdmin):
    """Read-only: imports are made from the upload page or `import_survey`, through the services."""

    list_display = ["survey", "file_name", "status", "accepted_count", "rejected_count", "created_at", "uploaded_by"]
    list_filter = ["survey", "status"]
    list_select_related = ["survey", "uploaded_by"]
    inlines = [RejectedRowInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
