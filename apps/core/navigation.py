"""Menu entries and dashboard cards that each app registers in its AppConfig.ready().

Keeps the layout free of knowledge about which apps exist.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    order: int = 50
    help: str = ""
    visible: Callable = lambda user: True  # noqa: E731


NAV: list[Item] = []
WORK: list[Item] = []


def register_nav(item: Item) -> None:
    if item not in NAV:
        NAV.append(item)


def register_work(item: Item) -> None:
    if item not in WORK:
        WORK.append(item)


def _entries(items: list[Item], request: HttpRequest) -> list[dict]:
    out = []
    for item in sorted(items, key=lambda i: i.order):
        if item.visible(request.user):
            url = reverse(item.url_name)
            out.append({"label": item.label, "url": url, "help": item.help,
                        "active": request.path.startswith(url) and url != "/"})
    return out


def context(request: HttpRequest) -> dict:
    from apps.core.selectors import notification_unread_count

    # The menu's *Avisos* count: one COUNT for signed-in people, run only by templates that show
    # it (htmx fragments do not); none for visitors.
    return {"nav_items": _entries(NAV, request), "work_items": _entries(WORK, request),
            "unread_notices": SimpleLazyObject(lambda: notification_unread_count(user=request.user))}
