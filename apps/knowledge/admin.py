from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.knowledge.models import Guideline, GuidelineVersion, Practice

# Practices and guidelines: for admins to look and trace; people write through the site, whose
# services check permissions, files and links and write the territories' memory.


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "organization", "municipality", "department", "sector", "published", "created_at"]
    list_filter = ["kind", "published", "capacity", "sector"]
    search_fields = ["title", "what", "topics", "organization__name"]
    raw_id_fields = ["organization", "municipality", "department", "created_by", "events", "services", "needs"]
    readonly_fields = ["created_at", "updated_at"]


class GuidelineVersionInline(admin.TabularInline):
    model = GuidelineVersion
    extra = 0
    can_delete = False
    fields = ["number", "file_name", "content_type", "size", "sha256", "notes", "uploaded_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # files are checked by the site's upload (apps/knowledge/files.py)


@admin.register(Guideline)
class GuidelineAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "organization", "published", "updated_at"]
    list_filter = ["kind", "published"]
    search_fields = ["title", "summary", "organization__name"]
    raw_id_fields = ["organization", "created_by", "services"]
    filter_horizontal = ["sectors"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [GuidelineVersionInline]
