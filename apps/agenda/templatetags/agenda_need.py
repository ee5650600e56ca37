"""The need page's agenda panel: the events that answer the need and, for coordinators while the
need waits, the suggested services with their score, reasons and an "Aceptar" button."""

from datetime import timedelta

from django import template
from django.utils import timezone

from apps.agenda import matching, selectors, services
from apps.agenda.forms import EventDateForm
from apps.agenda.models import ACTIVE_STATUSES, Event
from apps.agenda.permissions import can_coordinate

register = template.Library()
SUGGESTIONS = 5


def _default_day(need):
    earliest = timezone.localdate() + timedelta(days=14)
    if need.window_start and need.window_start > earliest:
        earliest = need.window_start
    return services.next_working_start(earliest).date()


@register.inclusion_tag("agenda/_need_panel.html", takes_context=True)
def agenda_need_panel(context, need):
    request = context["request"]
    user = request.user
    # One query: the panel shows titles, dates and status (the event page has the rest).
    events = list(selectors.event_base(user=user).filter(pk__in=Event.needs.through.objects.filter(need_id=need.pk)
                                                         .values("event_id")).order_by("starts_at", "id"))
    out = {"need": need, "events": events, "request": request, "csrf_token": context.get("csrf_token")}
    if can_coordinate(user) and need.status in services.SCHEDULABLE:
        out["matches"] = matching.matches_for_need(user=user, need=need, limit=SUGGESTIONS)
        out["date_form"] = EventDateForm(initial={"day": _default_day(need)})
        where = ({"municipality": need.municipality} if need.municipality_id else {"department": need.department})
        out["open_events"] = list(selectors.territory_events(user=user, **where)
                                  .filter(status__in=ACTIVE_STATUSES, ends_at__gte=timezone.now())[:5])
    return out
