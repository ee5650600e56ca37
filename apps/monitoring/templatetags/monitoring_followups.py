"""The event page's follow-up panel (coordinators): per audience, how many were invited, e-mailed,
answered and are still pending; never who answered what."""

from django import template
from django.db.models import Count, Q

from apps.agenda.models import Event
from apps.monitoring.models import Audience, Invitation

register = template.Library()


def event_followup_counts(*, user, event: Event) -> list[dict]:
    """One row per audience with invitations (one query); empty for anyone but coordinators."""
    if not (user.is_authenticated and user.is_coordinator):
        return []
    rows = (Invitation.objects.filter(event=event).values("audience")
            .annotate(invited=Count("id"), sent=Count("id", filter=Q(sent_at__isnull=False)),
                      answered=Count("id", filter=Q(answered_at__isnull=False)),
                      waiting=Count("id", filter=Q(sent_at__isnull=True)))
            .order_by("audience"))
    labels = dict(Audience.choices)
    order = list(labels)
    out = [{**row, "label": labels[row["audience"]], "pending": row["sent"] - row["answered"]} for row in rows]
    return sorted(out, key=lambda row: order.index(row["audience"]))


@register.inclusion_tag("monitoring/followup_event_panel.html", takes_context=True)
def followups_panel(context, event: Event) -> dict:
    return {"event": event, "rows": event_followup_counts(user=context["request"].user, event=event)}
