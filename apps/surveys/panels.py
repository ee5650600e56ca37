"""The 2021 baseline on territory pages: a municipality's needs, a national entity's ATT."""

from apps.surveys import selectors
from apps.surveys.permissions import can_see_municipal_baseline
from apps.territory.panels import register


@register("municipality")
def municipality_baseline(request, municipality):
    if not can_see_municipal_baseline(request.user, municipality):
        return None
    baseline = selectors.municipal_baseline(user=request.user, municipality=municipality)
    if baseline is None:
        return None
    return "surveys/panels/municipality.html", baseline


@register("entity")
def entity_baseline(request, entity):
    baseline = selectors.entity_baseline(user=request.user, entity=entity)
    if baseline is None:
        return None
    return "surveys/panels/entity.html", baseline
