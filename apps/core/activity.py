"""The territories' memory: `record()` writes one `Activity` row per key (see apps.core.models).

Services call it inside their transaction, after the write it describes; the same key twice is a
no-op, so a retried task or a double submit leaves one row. A municipality implies its department.

Backfill: an app whose services record rows may offer `rebuild()` in its own `activity.py`, writing
the same rows (same keys) from what it has stored; `manage.py activity_rebuild` calls every one
(see apps/demand/activity.py, apps/agenda/activity.py). Pages read the rows through
apps/territory/timeline.py (visibility of private rows) and apps/territory/handover.py.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from apps.core.models import Activity

if TYPE_CHECKING:
    from apps.accounts.models import Organization, User
    from apps.territory.models import Department, Municipality


def record(*, key: str, kind: str, title: str, text: str = "", link: str = "",
           municipality: "Municipality | None" = None, department: "Department | None" = None,
           organization: "Organization | None" = None, actor: "User | None" = None,
           occurred_at: datetime | None = None, data: dict | None = None, public: bool = True) -> Activity:
    department_id: str | None
    if municipality is not None and department is None:
        department_id = municipality.department_id
    else:
        department_id = department.pk if department is not None else None
    activity, _created = Activity.objects.get_or_create(key=key[:200], defaults={
        "kind": kind[:40], "title": " ".join(str(title).split())[:300], "text": str(text)[:4000],
        "link": link[:300], "occurred_at": occurred_at or timezone.now(),
        "municipality_id": municipality.pk if municipality is not None else None,
        "department_id": department_id,
        "organization_id": organization.pk if organization is not None else None,
        "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
        "data": data or {}, "public": public,
    })
    return activity
