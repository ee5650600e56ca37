"""Pages of demand: views parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import Organization
from apps.core.decorators import coordinator_required, login_required
from apps.core.exports import csv_response, xlsx_response
from apps.demand import selectors, services
from apps.demand.forms import MessageForm, NeedForm, OnBehalfFormSet, TransitionForm, initial_from_service
from apps.demand.models import Need, Status
from apps.demand.permissions import TransitionError, can_edit, can_file, can_message, transitions_for

PAGE_SIZE = 50
# The inbox filter selects: (parameter, label, the "any" option). The municipality box between
# them suggests names as one types (htmx); without JavaScript the name is resolved on the server.
FILTER_SELECTS = [
    ("department", _lazy("Departamento"), _lazy("Todos")), ("sector", _lazy("Sector"), _lazy("Todos")),
    ("capacity", _lazy("Capacidad"), _lazy("Todas")), ("status", _lazy("Estado"), _lazy("Todos")),
    ("priority", _lazy("Prioridad"), _lazy("Todas")), ("age", _lazy("Antigüedad"), _lazy("Cualquiera")),
]


def _page(request: HttpRequest, qs, size: int = PAGE_SIZE, count: int | None = None):
    paginator = selectors.DeferredJoinPaginator(qs, size) if qs.model is Need else Paginator(qs, size)
    if count is not None:
        paginator.count = count  # already known from the counts per status: one COUNT(*) less
    page = paginator.get_page(request.GET.get("page"))
    if qs.model is Need:
        selectors.with_labels(page.object_list)
    return page


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """"Mis solicitudes": the needs of the person's organisation (and, for a department, of its
    municipalities), newest first."""
    if request.user.is_coordinator:
        return redirect("demand:inbox")
    status = request.GET.get("status", "")
    qs = selectors.need_list(user=request.user, filters={"status": status} if status in Status.values else None)
    return render(request, "demand/mine.html", {
        "page": _page(request, qs), "status": status, "statuses": Status.choices,
        "can_file": can_file(request.user), "querystring": _querystring(request),
    })


def _need_data(form: NeedForm) -> dict:
    return {f: form.cleaned_data[f] for f in form.Meta.fields}


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not can_file(request.user):
        raise PermissionDenied
    org = request.user.organization
    is_department = org.kind == Organization.Kind.DEPARTMENT
    # The catalogue's *Solicitar este servicio* links with ?servicio=<id> (?service= also works).
    asked = request.GET.get("servicio") or request.GET.get("service") or ""
    submit = "draft" not in request.POST
    form = NeedForm(request.POST or None, initial=initial_from_service(asked), filing=submit)
    pickers = (OnBehalfFormSet(request.POST or None, prefix="picker", form_kwargs={"department": org.department})
               if is_department else None)
    if request.method == "POST" and form.is_valid() and (pickers is None or pickers.is_valid()):
        municipalities = [f.cleaned_data["municipality"] for f in pickers.forms
                          if f.has_changed() and f.cleaned_data.get("municipality")] if pickers else []
        key, data = form.cleaned_data.get("submission_key"), _need_data(form)
        try:
            needs = selectors.need_recent_twins(user=request.user, data=data, municipalities=municipalities,
                                                filing=submit) if key else []
            for need in needs:
                need.replayed = True
            needs = needs or services.need_file(user=request.user, data=data, municipalities=municipalities,
                                                submit=submit, submission_key=str(key) if key else None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if needs[0].replayed:  # a double click, or Back and send again: nothing new was filed
                messages.info(request, _("Esta solicitud ya se había enviado; no se creó otra."))
            elif submit:
                messages.success(request, _("Solicitud radicada. Le avisaremos por correo cada novedad.")
                                 if len(needs) == 1 else
                                 _("Se radicaron %(n)d solicitudes, una por municipio.") % {"n": len(needs)})
            else:
                messages.success(request, _("Borrador guardado. Radíquelo cuando esté listo."))
            return redirect(needs[0] if len(needs) == 1 else "demand:mine")
    return render(request, "demand/form.html", {"form": form, "pickers": pickers, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(user=request.user, pk=pk)
    if not can_edit(request.user, need):
        if (request.method == "POST" and need.status != Status.DRAFT
                and need.organization_id == request.user.organization_id):
            # Back and *Radicar* again: the draft was radicada by the first post.
            messages.info(request, _("Esta solicitud ya se había radicado; no se hizo ningún cambio."))
            return redirect(need)
        raise PermissionDenied
    submit = "submit" in request.POST
    form = NeedForm(request.POST or None, instance=need, filing=submit)
    if request.method == "POST" and form.is_valid():
        data = _need_data(form)
        form.instance.refresh_from_db()  # the ModelForm already copied the values onto it
        try:
            services.need_update(user=request.user, need=need, data=data, submit=submit)
        except (TransitionError, ValidationError) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Solicitud radicada. Le avisaremos por correo cada novedad.")
                             if submit else _("Cambios guardados."))
            return redirect(need)
    return render(request, "demand/form.html", {"form": form, "need": need, "org": request.user.organization})


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(user=request.user, pk=pk)
    thread, events = selectors.need_thread(need=need)
    return render(request, "demand/detail.html", {
        "need": need, "thread": thread, "events": events,
        "transitions": transitions_for(request.user, need),
        "can_edit": can_edit(request.user, need), "can_message": can_message(request.user, need),
        "message_form": MessageForm(),
    })


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            need = services.need_transition(user=request.user, need=need, action=form.cleaned_data["action"],
                                            reason=form.cleaned_data["reason"])
        except (TransitionError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("La solicitud quedó %(status)s.") % {
                "status": need.get_status_display().lower()})
    return redirect("demand:detail", pk=pk)


@login_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(user=request.user, pk=pk)
    if not can_message(request.user, need):
        raise PermissionDenied
    form = MessageForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data.get("submission_key")
        message = services.need_message_add(user=request.user, need=need, body=form.cleaned_data["body"],
                                            submission_key=str(key) if key else None)
        if message.replayed:
            messages.info(request, _("Ese mensaje ya se había enviado; no se envió otra vez."))
        else:
            messages.success(request, _("Mensaje enviado."))
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect(f"{need.get_absolute_url()}#conversacion")


@coordinator_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The coordinators' inbox: every filed need, filtered, with counts per status."""
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    filterset = selectors.need_filter(user=request.user, filters=filters)
    qs = filterset.qs
    counts = selectors.inbox_counts(filterset=filterset)
    chosen = filterset.form.cleaned_data.get("status")
    total = counts[chosen] if chosen else sum(counts.values())
    status_links = []
    for value, label in Status.choices:
        params = request.GET.copy()
        params.pop("page", None)
        params["status"] = value
        status_links.append({"value": value, "label": label, "n": counts[value], "query": params.urlencode(),
                             "active": filters.get("status") == value})
    return render(request, "demand/inbox.html", {
        "filters": filters, "options": selectors.filter_options(), "selects": FILTER_SELECTS,
        "errors": filterset.errors, "page": _page(request, qs, count=total), "status_links": status_links,
        "total": total, "querystring": _querystring(request),
    })


EXPORT_COLUMNS = [
    ("id", _("Número")), ("status", _("Estado")), ("department", _("Departamento")),
    ("municipality", _("Municipio")), ("organization", _("Radicada por")), ("sector", _("Sector")),
    ("topic", _("Tema")), ("capacity", _("Capacidad")), ("priority", _("Prioridad")),
    ("modality", _("Modalidad")), ("window_start", _("Desde")), ("window_end", _("Hasta")),
    ("participants", _("Funcionarios")), ("plan_goal", _("Meta del plan de desarrollo")),
    ("problem", _("Problema")), ("expected_result", _("Resultado esperado")),
    ("submitted_at", _("Radicada el")), ("status_reason", _("Motivo")),
]


def _export_row(need: Need) -> list:
    return [need.pk, need.get_status_display(), need.department.display_name,
            need.municipality.display_name if need.municipality_id else "", need.organization.name,
            need.sector.name, need.topic, need.get_capacity_display(), need.get_priority_display(),
            need.get_modality_display(), need.window_start, need.window_end, need.participants,
            need.plan_goal, need.problem, need.expected_result, need.submitted_at, need.status_reason]


@coordinator_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The filtered inbox as XLSX or CSV (streamed), written by apps.core.exports (formula-safe, real dates)."""
    filters = {k: v for k, v in request.GET.items() if k not in ("page", "format") and v}
    qs = selectors.need_list(user=request.user, filters=filters)
    stamp = timezone.localdate().isoformat()
    header = [str(label) for _key, label in EXPORT_COLUMNS]
    rows = (_export_row(need) for need in qs.iterator(chunk_size=2000))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"solicitudes-{stamp}.xlsx", header, rows, sheet_title=_("Solicitudes"))
    return csv_response(f"solicitudes-{stamp}.csv", header, rows, streaming=True)


@coordinator_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    filters = {"status": status} if status in Status.values else None
    return render(request, "demand/summary.html", {
        "summary": selectors.demand_summary(user=request.user, filters=filters),
        "status": status, "statuses": Status.choices,
    })
