"""The demand panel on each municipality's page."""

from apps.demand.selectors import department_need_counts, municipality_needs
from apps.territory.panels import register


@register("municipality")
def municipality_panel(request, municipality):
    """Everyone sees counts by status; people allowed to see the needs also see the list."""
    return "demand/_municipality_panel.html", municipality_needs(user=request.user, municipality=municipality)


@register("department")
def department_panel(request, department):
    """Counts by status for everyone; coordinators get a link to the department in the inbox."""
    return "demand/_department_panel.html", department_need_counts(department=department)
