"""Load an event list's providers, territories and services: one query per relation.

Each query selects the related rows joined to their event ids; the rows are put where
`prefetch_related` would put them (`_prefetched_objects_cache`), so `event.providers.all()` and
friends read them without a query. Orders match the ones the pages use.
"""

from collections import defaultdict

from django.db.models import F, QuerySet

from apps.accounts.models import Organization
from apps.offer.models import Service
from apps.territory.models import Department, Municipality


def _sources() -> dict[str, tuple[QuerySet, object]]:
    return {
        "providers": (Organization.objects.all(), lambda o: o.name),
        "municipalities": (Municipality.objects.select_related("department"), lambda m: m.display_name),
        "departments": (Department.objects.all(), lambda d: d.display_name),
        "services": (Service.objects.only("id", "name", "organization_id", "status"), lambda s: s.name),
    }


class CachedLinks(QuerySet):
    """The loaded rows of one event's relation; any further filtering or ordering (`_chain`)
    turns into the real related query, as with `prefetch_related`."""

    def _chain(self):
        event, field = self._owner
        cache = event._prefetched_objects_cache.pop(field)
        try:
            real = getattr(event, field).get_queryset()
        finally:
            event._prefetched_objects_cache[field] = cache
        return real._chain()


def attach(events: list, fields: tuple[str, ...]) -> None:
    ids = [event.pk for event in events]
    sources = _sources()
    for field in fields:
        queryset, key = sources[field]
        rows: dict[int, list] = defaultdict(list)
        for item in queryset.filter(agenda_events__in=ids).annotate(_event_id=F("agenda_events")).order_by():
            rows[item._event_id].append(item)
        for event in events:
            found = sorted(rows.get(event.pk, []), key=key)
            cached = CachedLinks(model=queryset.model)
            cached._result_cache, cached._prefetch_done, cached._owner = found, True, (event, field)
            if not hasattr(event, "_prefetched_objects_cache"):
                event._prefetched_objects_cache = {}
            event._prefetched_objects_cache[field] = cached
