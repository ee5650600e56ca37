"""The follow-up answer form: one field per question of the invitation's survey, built from the
definitions (scale questions as five radio buttons with each level's description visible).

The form only reads what was typed; the answers are validated again, and recorded, by
`apps.surveys.live.submission_record` (through `services.followup_answer`), whose Spanish errors
come back onto the fields.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.surveys.live import TEXT_LIMIT
from apps.surveys.models import Question


class FollowUpForm(forms.Form):
    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.key] = self._field(question)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        common = {"label": question.header, "help_text": question.help_text, "required": question.required,
                  "error_messages": {"required": _("Responda esta pregunta."),
                                     "invalid_choice": _("Elija una de las opciones.")}}
        if question.type == Question.Type.SCALE:
            levels = list(question.levels or []) + [""] * 5
            choices = [(str(n), levels[n - 1] or str(n)) for n in range(1, 6)]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if question.type == Question.Type.SINGLE:
            return forms.ChoiceField(choices=[(o.text, o.text) for o in question.options.all()],
                                     widget=forms.RadioSelect, **common)
        if question.type == Question.Type.MULTI:
            return forms.MultipleChoiceField(choices=[(o.text, o.text) for o in question.options.all()],
                                             widget=forms.CheckboxSelectMultiple, **common)
        if question.type == Question.Type.NUMBER:
            common["error_messages"]["invalid"] = _("Escriba un número entero.")
            return forms.IntegerField(**common)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT, **common)

    def answers(self) -> dict[str, object]:
        return {q.key: self.cleaned_data.get(q.key) for q in self.questions}

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors (keyed by question key) on their fields."""
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)
