"""Panels other apps add to the municipality, department and entity pages.

An app registers, in its AppConfig.ready(), a function `(request, obj) -> (template, context)`
or None; the page renders each panel in registration order. Territory stays ignorant of offer,
demand and surveys, and they never edit its views.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest, Any], tuple[str, dict] | None]
_PANELS: dict[str, list[Panel]] = {"municipality": [], "department": [], "entity": []}


def register(kind: str) -> Callable[[Panel], Panel]:
    def decorator(func: Panel) -> Panel:
        if func not in _PANELS[kind]:
            _PANELS[kind].append(func)
        return func

    return decorator


def render_panels(kind: str, request: HttpRequest, obj: Any) -> list[tuple[str, dict]]:
    return [panel for func in _PANELS[kind] if (panel := func(request, obj)) is not None]
