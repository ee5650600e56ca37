from django.contrib import admin

from apps.territory.models import Department, Municipality, NationalEntity, Sector


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "display_name", "capital_code"]
    search_fields = ["code", "display_name", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "display_name", "department", "entity_type", "category", "pdet", "zomac"]
    list_filter = ["department", "entity_type", "category", "pdet", "zomac"]
    search_fields = ["code", "display_name", "search_name"]
    list_select_related = ["department"]
    # Reference data from DANE: only the Ley 617 category, the PDET/ZOMAC flags and their source
    # are edited here (or loaded with `manage.py load_municipal_categories`).
    readonly_fields = ["code", "name", "display_name", "department", "entity_type", "is_department_capital"]
    fields = [*readonly_fields, "category", "pdet", "zomac", "category_source"]


@admin.register(NationalEntity)
class NationalEntityAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "kind", "administrative_sector"]
    list_filter = ["kind"]
    search_fields = ["acronym", "name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["name"]
