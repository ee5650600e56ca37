"""Admin of the agenda: for support and audits; coordinators work in the agenda pages.

Event status is read-only here: moves go through services.event_transition (the pages, the API),
so the needs follow and the history is written.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.agenda.models import AgendaPeriod, Attendee, CalendarFeed, Event, EventStatusEvent


class StatusEventInline(admin.TabularInline):
    model = EventStatusEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "previous_starts_at", "created_at"]


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    raw_id_fields = ["organization", "user"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["id", "title", "kind", "status", "starts_at", "modality", "period"]
    list_filter = ["status", "kind", "modality", "period", "recorded_after_the_fact"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["created_by", "merged_into"]
    filter_horizontal = ["providers", "services", "responsible"]
    autocomplete_fields = ["municipalities", "departments"]
    readonly_fields = ["status", "status_reason", "merged_into", "created_by", "created_at", "updated_at"]
    exclude = ["needs"]
    inlines = [AttendeeInline, StatusEventInline]


@admin.register(AgendaPeriod)
class AgendaPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "status", "published_at", "published_by"]
    readonly_fields = ["status", "published_at", "published_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["organization", "created_at", "revoked_at"]
    readonly_fields = ["organization", "created_at"]
    exclude = ["token"]  # a secret: rotate it from the agenda's calendar page instead
