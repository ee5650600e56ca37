from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.surveys.models import ImportBatch, Option, Question, RejectedRow, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "key", "type", "header"]
    extra = 0
    show_change_link = True


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "title", "unit", "year", "current_batch", "links"]
    readonly_fields = ["current_batch"]
    inlines = [QuestionInline]

    @admin.display(description=_("Importar y resultados"))
    def links(self, obj: Survey) -> str:
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                           reverse("surveys:upload", args=[obj.slug]), _("Importar"),
                           reverse("surveys:results", args=[obj.slug]), _("Resultados"))


class OptionInline(admin.TabularInline):
    model = Option
    fields = ["position", "text", "alias"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ["key", "survey", "type", "header"]
    list_filter = ["survey", "type"]
    inlines = [OptionInline]


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
    inlines = [RejectedRowInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
