"""Pages of the commitments: the list (filters, export), one commitment with its progress timeline
and status form, "mis compromisos", the import of progress from a spreadsheet, and a realised
jornada's commitments (linked from the jornada page)."""

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.decorators import login_required, public
from apps.core.exports import csv_response, xlsx_response
from apps.core.uploads import BadFile
from apps.knowledge import selectors, services
from apps.knowledge.forms_commitments import (
    CommitmentFilterForm,
    CommitmentImportForm,
    CommitmentStatusForm,
    EventCommitmentForm,
)
from apps.knowledge.imports_commitments import import_apply, import_plan
from apps.knowledge.permissions_commitments import STATUS_MOVES, can_record_for_event, can_update

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "knowledge_commitments_import"
EXPORT_HEADER = ["id", "compromiso", "responsable", "territorio", "origen", "fecha límite", "estado", "nota"]


def _filtered(request: HttpRequest, *, mine: bool = False):
    form = CommitmentFilterForm(request.GET or None, responsibles=selectors.responsible_choices(user=request.user))
    base = selectors.commitments_mine(user=request.user) if mine else None
    return form, selectors.commitment_list(user=request.user, filters=form.filters(), queryset=base)


@public
@require_GET
def commitments(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "knowledge/commitments.html", {
        "form": form, "page": page, "items": list(page.object_list), "mine": False,
        "query": request.GET.urlencode(), "today": timezone.localdate()})


@login_required
@require_GET
def commitments_mine(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request, mine=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "knowledge/commitments.html", {
        "form": form, "page": page, "items": list(page.object_list), "mine": True,
        "query": request.GET.urlencode(), "today": timezone.localdate()})


def _territory(c) -> str:
    if c.municipality_id:
        return f"{c.municipality.display_name} ({c.municipality.department.display_name})"
    return c.department.display_name if c.department_id else ""


def _origin(c) -> str:
    if c.workshop_id:
        return _("Taller: %(t)s") % {"t": c.workshop.title}
    if c.event_id:
        return _("Jornada #%(id)s: %(t)s") % {"id": c.event_id, "t": c.event.title}
    return ""


def export_rows(qs):
    for c in qs.iterator(chunk_size=500):
        yield [c.pk, c.text, c.responsible.name if c.responsible_id else c.responsible_text, _territory(c),
               _origin(c), c.due_on, c.get_status_display(), c.last_note or ""]


@public
@require_GET
def commitments_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (or, with `mios=1`, the person's own: the import template) as XLSX or CSV."""
    mine = request.GET.get("mios") == "1" and request.user.is_authenticated
    _form, qs = _filtered(request, mine=mine)
    name = f"compromisos-{'mios-' if mine else ''}{timezone.localdate().isoformat()}"
    if request.GET.get("formato") == "csv":
        return csv_response(f"{name}.csv", EXPORT_HEADER, export_rows(qs), streaming=True)
    return xlsx_response(f"{name}.xlsx", EXPORT_HEADER, export_rows(qs), sheet_title=_("Compromisos"))


def _commitment_page(request: HttpRequest, obj, form: CommitmentStatusForm | None, status: int = 200) -> HttpResponse:
    if form is not None:  # only the moves allowed from here (the service checks them again)
        allowed = {obj.status, *STATUS_MOVES.get(obj.status, ())}
        form.fields["status"].choices = [c for c in form.fields["status"].choices if c[0] in allowed]
    return render(request, "knowledge/commitment.html", {
        "c": obj, "progress": list(obj.progress.all()), "form": form, "today": timezone.localdate()}, status=status)


@public
@require_GET
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.commitment_get(user=request.user, pk=pk)
    form = CommitmentStatusForm(initial={"status": obj.status}) if can_update(request.user, obj) else None
    return _commitment_page(request, obj, form)


@login_required
@require_POST
def commitment_status(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.commitment_get(user=request.user, pk=pk)
    form = CommitmentStatusForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_update_status(user=request.user, commitment=obj, status=form.cleaned_data["status"],
                                              note=form.cleaned_data["note"], due_on=form.cleaned_data["due_on"])
        except services.Unchanged:
            messages.info(request, _("Esa nota ya estaba registrada."))
            return redirect(obj)
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Avance registrado."))
            return redirect(obj)
    return _commitment_page(request, selectors.commitment_get(user=request.user, pk=pk), form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def commitments_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing saved) → confirm: applies the rows that change something."""
    context: dict = {"form": CommitmentImportForm()}
    if request.method == "POST" and request.POST.get("confirm"):
        stash = request.session.pop(IMPORT_SESSION_KEY, None)
        if stash is None:
            messages.error(request, _("La vista previa expiró: cargue el archivo de nuevo."))
            return redirect("knowledge:commitments_import")
        try:
            applied = import_apply(user=request.user, content=base64.b64decode(stash))
        except BadFile as exc:
            messages.error(request, str(exc))
            return redirect("knowledge:commitments_import")
        messages.success(request, _("Se registraron %(n)d avances.") % {"n": applied})
        return redirect("knowledge:commitments_mine")
    if request.method == "POST":
        form = CommitmentImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            content = form.cleaned_data["file"].read()
            try:
                rows = import_plan(user=request.user, content=content)
            except BadFile as exc:
                form.add_error("file", str(exc))
            else:
                context["rows"] = rows
                context["errors"] = [r for r in rows if r.error]
                context["changes"] = [r for r in rows if r.changes]
                if not context["errors"] and context["changes"]:
                    request.session[IMPORT_SESSION_KEY] = base64.b64encode(content).decode()
                    context["ready"] = True
    return render(request, "knowledge/commitments_import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_commitments(request: HttpRequest, pk: int) -> HttpResponse:
    """A jornada's commitments; its providers and coordinators record new ones once it is realised."""
    from apps.agenda import selectors as agenda_selectors

    event = agenda_selectors.event_get(user=request.user, pk=pk)
    may_record = can_record_for_event(request.user, event)
    form = EventCommitmentForm(request.POST or None, event=event) if may_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.commitment_create(
                    user=request.user, text=form.cleaned_data["text"], responsible=form.responsible_org(),
                    due_on=form.cleaned_data["due_on"], event=event, note=form.cleaned_data["note"],
                    **form.territory_kwargs())
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Compromiso registrado."))
                return redirect("agenda:event_commitments", pk=event.pk)
    return render(request, "knowledge/event_commitments.html", {
        "event": event, "form": form, "items": list(selectors.event_commitments(user=request.user, event=event)),
        "today": timezone.localdate()})
