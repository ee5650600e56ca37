"""Pages of the agenda: views parse, call a selector or a service, render.

The national agenda (month or week, filtered), "mi agenda", the event page with add-to-calendar,
the event form, accepting a match from the need page, conflicts and their merge, periods, the
private iCalendar feed and its settings, and the export of any filtered view.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.agenda import grid as grids
from apps.agenda import ics, selectors, services
from apps.agenda.feeds import feed_events
from apps.agenda.forms import (
    CalendarFilterForm,
    EventDateForm,
    EventForm,
    TerritoryFormSet,
    TransitionForm,
    event_initial,
)
from apps.agenda.models import AgendaPeriod, CalendarFeed, Event
from apps.agenda.permissions import (
    TransitionError,
    can_edit_event,
    can_propose,
    sees_people,
    transitions_for,
)
from apps.core.decorators import coordinator_required, login_required, public
from apps.demand.models import Need
from apps.offer.models import Service
from apps.territory.models import Municipality

ICS_TYPE = "text/calendar; charset=utf-8"
WAITING_SHOWN = 20


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- The calendar ----------------------------------------------------------------------------

# The months the calendar pages: date.min and date.max have no month before or after them
# (OverflowError, a 500, in the grid and its links).
ANCHOR_YEARS = range(1900, 2200)


def _anchor(request: HttpRequest) -> date:
    try:
        anchor = date.fromisoformat(request.GET.get("fecha", ""))
    except ValueError:
        return timezone.localdate()
    return anchor if anchor.year in ANCHOR_YEARS else timezone.localdate()


def _calendar(request: HttpRequest, *, mine: bool = False):
    """The grid, the filter form and the events of the requested month or week ("mi agenda": only
    the organisation's own events)."""
    form = CalendarFilterForm(request.GET or None)
    anchor = _anchor(request)
    week = request.GET.get("vista") == "semana"
    start, end = grids.week_bounds(anchor) if week else grids.month_bounds(anchor.year, anchor.month)
    filters = {**form.filters(), "date_from": start, "date_to": end}
    if mine:
        qs = selectors.EventFilter(filters, queryset=selectors.my_agenda(user=request.user)).qs
    else:
        qs = selectors.event_list(user=request.user, filters=filters)
    events = list(qs)
    grid = grids.week_grid(anchor, events) if week else grids.month_grid(anchor.year, anchor.month, events)
    params = request.GET.copy()
    params.pop("fecha", None)
    params.pop("vista", None)
    query = params.urlencode()
    return {"form": form, "grid": grid, "events": events, "week": week, "anchor": anchor, "query": query,
            "export_query": request.GET.urlencode()}


@public
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The national agenda: what this person may see (the published agenda for everyone)."""
    page = _calendar(request)
    code = page["form"].filters().get("municipality")
    municipality = Municipality.objects.filter(code=code).first() if code else None
    return render(request, "agenda/calendar.html", {**page, "can_propose": can_propose(request.user),
                                                    "municipality": municipality})


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The organisation's own agenda: events it provides or that come to its territory."""
    org = request.user.organization
    if org is None:
        return redirect("agenda:calendar")
    upcoming = selectors.my_agenda(user=request.user).filter(ends_at__gte=timezone.now())[:20]
    return render(request, "agenda/mine.html", {
        **_calendar(request, mine=True), "org": org, "upcoming": upcoming,
        "can_propose": can_propose(request.user),
    })


# --- One event -------------------------------------------------------------------------------

def _event_url(request: HttpRequest, event: Event) -> str:
    return request.build_absolute_uri(event.get_absolute_url())


@public
@require_GET
def event(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.event_get(user=request.user, pk=pk)
    url = _event_url(request, obj)
    people = sees_people(request.user, obj)
    return render(request, "agenda/event.html", {
        "event": obj, "url": url, "google": ics.google_link(obj, url), "outlook": ics.outlook_link(obj, url),
        "sees_people": people, "attendees": list(obj.attendees.all()) if people else [],
        "needs": selectors.event_needs_visible(user=request.user, event=obj),
        "transitions": transitions_for(request.user, obj), "can_edit": can_edit_event(request.user, obj),
        "history": list(obj.status_events.all()) if request.user.is_authenticated else [],
        "sources": list(obj.merged_sources.all()),
    })


@public
@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.event_get(user=request.user, pk=pk)
    response = HttpResponse(ics.event_ics(obj, _event_url(request, obj)), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="jornada-{obj.pk}.ics"'
    return response


def _territories(pickers) -> tuple[list, list]:
    municipalities, departments = [], []
    for picker in pickers.forms:
        if not picker.has_changed():
            continue
        if picker.cleaned_data.get("municipality"):
            municipalities.append(picker.cleaned_data["municipality"])
        elif picker.cleaned_data.get("department"):
            departments.append(picker.cleaned_data["department"])
    return municipalities, departments


def _territory_initial(event: Event) -> list[dict]:
    rows = [{"department": m.department_id, "municipality_name": m.display_name}
            for m in event.municipalities.select_related("department")]
    return rows + [{"department": d.code} for d in event.departments.all()]


def _save_event(request: HttpRequest, form: EventForm, pickers, event: Event | None) -> Event | None:
    municipalities, departments = _territories(pickers)
    data = {**form.event_data(), "municipalities": municipalities, "departments": departments}
    confirm = form.cleaned_data["confirm_non_working_day"]
    try:
        if event is None:
            return services.event_create(user=request.user, data=data, confirm_non_working_day=confirm)
        return services.event_update(user=request.user, event=event, data=data, confirm_non_working_day=confirm)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for field, items in errors.items():
            if field == "starts_at":
                form.refuse_day(ValidationError(items))
            elif field == "ends_at":
                form.add_error("end_time", items)
            elif field in form.fields:
                form.add_error(field, items)
            elif field in ("municipalities", "departments"):
                pickers._non_form_errors = pickers.error_class(items)
            else:
                form.add_error(None, items)
        return None


def _event_form_page(request: HttpRequest, event: Event | None) -> HttpResponse:
    initial = event_initial(event) if event else None
    form = EventForm(request.POST or None, user=request.user, event=event, initial=initial)
    pickers = TerritoryFormSet(request.POST or None, prefix="territorio",
                               initial=_territory_initial(event) if event else None)
    if request.method == "POST" and form.is_valid() and pickers.is_valid():
        saved = _save_event(request, form, pickers, event)
        if saved is not None:
            messages.success(request, _("Jornada guardada.") if event else _("Jornada propuesta."))
            return redirect(saved)
    show_confirm = form.non_working or bool(request.POST.get("confirm_non_working_day"))
    return render(request, "agenda/event_form.html", {"form": form, "pickers": pickers, "event": event,
                                                      "show_confirm": show_confirm})


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    if not can_propose(request.user):
        raise PermissionDenied
    return _event_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.event_get(user=request.user, pk=pk)
    if not can_edit_event(request.user, obj):
        raise PermissionDenied
    return _event_form_page(request, obj)


@login_required
@require_POST
def event_transition(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.event_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Acción no válida."))
        return redirect(obj)
    starts_at, ends_at = form.new_dates()
    try:
        obj = services.event_transition(user=request.user, event=obj, action=form.cleaned_data["action"],
                                        reason=form.cleaned_data["reason"], starts_at=starts_at, ends_at=ends_at,
                                        confirm_non_working_day=form.cleaned_data["confirm_non_working_day"])
    except TransitionError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("La jornada quedó %(status)s.") % {"status": obj.get_status_display().lower()})
    return redirect(obj)


# --- Matches ---------------------------------------------------------------------------------

@coordinator_required
@require_POST
def match_accept(request: HttpRequest) -> HttpResponse:
    """Accept a suggestion from the need page: create (or extend) an event and schedule the need.
    A holiday or weekend sends the coordinator to a small page to move the date or confirm it."""
    need = get_object_or_404(Need, pk=request.POST.get("need") or 0)
    service = get_object_or_404(Service, pk=request.POST.get("service") or 0)
    target = None
    if request.POST.get("event"):
        target = selectors.event_get(user=request.user, pk=request.POST["event"])
    form = EventDateForm(request.POST)
    if target is None and not form.is_valid():
        return render(request, "agenda/match_accept.html", {"form": form, "need": need, "service": service})
    starts_at = ends_at = None
    if target is None:
        tz = timezone.get_current_timezone()
        starts_at = timezone.datetime.combine(form.cleaned_data["day"], form.cleaned_data["start_time"], tzinfo=tz)
        ends_at = timezone.datetime.combine(form.cleaned_data["day"], form.cleaned_data["end_time"], tzinfo=tz)
        if ends_at <= starts_at:
            form.add_error("end_time", _("La hora de fin debe ser posterior a la de inicio."))
            return render(request, "agenda/match_accept.html", {"form": form, "need": need, "service": service})
    try:
        obj = services.match_accept(user=request.user, need=need, service=service, event=target,
                                    starts_at=starts_at, ends_at=ends_at,
                                    confirm_non_working_day=form.is_valid()
                                    and form.cleaned_data["confirm_non_working_day"])
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        if "starts_at" in errors and target is None:
            form.add_error("day", errors["starts_at"])
            return render(request, "agenda/match_accept.html",
                          {"form": form, "need": need, "service": service, "show_confirm": True})
        messages.error(request, _errors(exc))
        return redirect(need)
    messages.success(request, _("Sugerencia aceptada: la solicitud #%(id)s quedó programada en «%(title)s».")
                     % {"id": need.pk, "title": obj.title})
    return redirect(obj)


# --- Coordination ----------------------------------------------------------------------------

@coordinator_required
@require_GET
def conflicts(request: HttpRequest) -> HttpResponse:
    """The coordinator's desk: conflicts to merge, trips to join, needs waiting, the load."""
    department = request.GET.get("department", "") or None
    since = timezone.localdate() - timedelta(days=1)
    groups = selectors.conflict_groups(user=request.user, department=department, date_from=since)
    trips = selectors.trip_suggestions(user=request.user, department=department, date_from=since)
    waiting = selectors.waiting_needs(user=request.user)
    if department:
        waiting = waiting.filter(department_id=department)
    full = selectors.service_load(user=request.user).filter(yearly_capacity__gt=0,
                                                            events_this_year__gte=F("yearly_capacity"))
    return render(request, "agenda/conflicts.html", {
        "groups": groups, "trips": trips, "waiting": waiting[:WAITING_SHOWN], "waiting_total": waiting.count(),
        "waiting_days": settings.AGENDA_WAITING_DAYS, "window_days": selectors.window_days(),
        "load": selectors.entity_load(user=request.user)[:15], "full_services": full,
        "form": CalendarFilterForm(request.GET or None),
    })


@coordinator_required
@require_POST
def conflict_merge(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("events") if v.isascii() and v.isdigit() and len(v) < 19]
    events = list(Event.objects.filter(pk__in=ids))
    try:
        merged = services.events_merge(user=request.user, events=events, title=request.POST.get("title", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("agenda:conflicts")
    messages.success(request, _("Se unieron %(n)d jornadas en la misión conjunta «%(title)s».")
                     % {"n": len(events), "title": merged.title})
    return redirect(merged)


@coordinator_required
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            starts_on = date.fromisoformat(request.POST.get("starts_on", ""))
            ends_on = date.fromisoformat(request.POST.get("ends_on", ""))
        except ValueError:
            messages.error(request, _("Escriba las fechas de inicio y fin del periodo."))
        else:
            try:
                period = services.period_create(user=request.user, name=request.POST.get("name", ""),
                                                starts_on=starts_on, ends_on=ends_on)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("Periodo %(name)s creado.") % {"name": period.name})
                return redirect("agenda:periods")
    periods = AgendaPeriod.objects.annotate(event_count=Count("events", filter=Q(events__merged_into__isnull=True)))
    return render(request, "agenda/periods.html", {"periods": periods.order_by("-starts_on"), "post": request.POST})


@coordinator_required
@require_POST
def period_publish(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(AgendaPeriod, pk=pk)
    try:
        if request.POST.get("action") == "close":
            services.period_close(user=request.user, period=period)
            messages.success(request, _("Periodo %(name)s cerrado.") % {"name": period.name})
        else:
            services.period_publish(user=request.user, period=period)
            messages.success(request, _("Agenda del periodo %(name)s publicada.") % {"name": period.name})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("agenda:periods")


# --- Feeds -----------------------------------------------------------------------------------

@public
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation's private iCalendar feed; the secret in the URL is the only key."""
    row = CalendarFeed.objects.select_related("organization").filter(token=token, revoked_at__isnull=True).first()
    if row is None:
        raise Http404
    events = feed_events(organization=row.organization)
    name = _("Agenda ATT · %(org)s") % {"org": row.organization.name}
    body = ics.build_calendar(events, name=name, url_for=lambda e: _event_url(request, e))
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="agenda-att.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    org = request.user.organization
    if org is None:
        raise Http404
    if request.method == "POST":
        services.feed_rotate(user=request.user, organization=org)
        messages.success(request, _("Nueva URL generada. La anterior dejó de funcionar."))
        return redirect("agenda:feed_settings")
    row = services.feed_get_or_create(user=request.user, organization=org)
    url = request.build_absolute_uri(reverse("agenda:feed", args=[row.token]))
    return render(request, "agenda/feed_settings.html", {"feed": row, "url": url, "org": org})


# --- Export ----------------------------------------------------------------------------------

@public
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The events of the filtered calendar view (same filters, month or week) as CSV or XLSX."""
    from apps.agenda.exports import events_response

    page = _calendar(request)
    return events_response(page["events"], fmt=request.GET.get("format", "csv"),
                           stamp=page["grid"].start.isoformat(), url_for=lambda e: _event_url(request, e))
