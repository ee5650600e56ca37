"""The demand panel on each municipality's page."""

from apps.demand.selectors import municipality_needs
from apps.territory.panels import register


@register("municipality")
def municipality_panel(request, municipality):
    """Everyone sees counts by status; people allowed to see the needs also see the list."""
    return "demand/_municipality_panel.html", municipality_needs(user=request.user, municipality=municipality)
