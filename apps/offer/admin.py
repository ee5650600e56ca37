from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.offer.models import Service


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    """For admins to look and trace; editors work through the site, whose services validate."""

    list_display = ["name", "organization", "status", "assistance_type", "modality", "updated_at"]
    list_filter = ["status", "assistance_type", "modality", "organization__kind"]
    search_fields = ["name", "search_document", "organization__name"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["sectors", "departments"]
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]
