from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.demand.models import Need, NeedMessage, NeedStatusEvent


class EventInline(admin.TabularInline):
    model = NeedStatusEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created_at"]


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["id", "topic", "status", "department", "municipality", "sector", "priority", "submitted_at"]
    list_filter = ["status", "priority", "capacity", "sector", "department"]
    search_fields = ["topic", "problem", "organization__name", "municipality__display_name"]
    raw_id_fields = ["organization", "municipality", "created_by"]
    readonly_fields = ["status", "status_reason", "submitted_at", "status_changed_at", "created_at", "updated_at"]
    inlines = [EventInline]


@admin.register(NeedMessage)
class NeedMessageAdmin(SimpleHistoryAdmin):
    list_display = ["need", "author", "created_at"]
    raw_id_fields = ["need", "author"]
