"""HTML pages of the catalogue: views parse, call selectors/services, render."""

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.decorators import login_required, public
from apps.core.exports import csv_response, xlsx_response
from apps.core.uploads import BadFile
from apps.offer.filters import ServiceFilter
from apps.offer.forms import ImportForm, ServiceForm
from apps.offer.models import Service
from apps.offer.permissions import can_author, can_delete_service, can_edit_service, sees_unpublished
from apps.offer.resources import ServiceExportResource, ServiceImportResource, import_dataset
from apps.offer.selectors import (
    organization_services,
    service_facets,
    service_get,
    service_get_for_edit,
    service_history,
    service_list,
)
from apps.offer.services import service_create, service_delete, service_transition, service_update

PAGE_SIZES = (10, 20, 50, 100)
FACET_TITLES = {
    "sector": gettext_lazy("Sector"), "capacity": gettext_lazy("Capacidad"), "modality": gettext_lazy("Modalidad"),
    "department": gettext_lazy("Departamento cubierto"), "entity": gettext_lazy("Entidad"),
    "type": gettext_lazy("Tipo de asistencia"), "status": gettext_lazy("Estado"),
}


def _params(request: HttpRequest) -> dict[str, str]:
    keys = ("q", "page_size", *ServiceFilter.FACETS)
    return {k: request.GET[k].strip() for k in keys if request.GET.get(k, "").strip()}


def _facet_links(facets: dict, params: dict) -> list[dict]:
    """Each facet value as a link that toggles it, keeping the other filters (works without JS)."""
    out = []
    for key in ("sector", "capacity", "modality", "type", "department", "entity", "status"):
        if key not in facets:
            continue
        values = []
        for fv in facets[key]:
            query = {k: v for k, v in params.items() if k != key}
            if not fv.selected:
                query[key] = fv.value
            values.append(
                {"label": fv.label, "count": fv.count, "selected": fv.selected, "url": "?" + urlencode(query)}
            )
        out.append({"key": key, "title": FACET_TITLES[key], "values": values})
    return out


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("page_size", 20))
    except ValueError:
        return 20
    return size if size in PAGE_SIZES else 20


@public
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    services = service_list(user=request.user, filters=params)
    page = Paginator(services, _page_size(request)).get_page(request.GET.get("page"))
    facets = service_facets(user=request.user, filters=params)
    context = {
        "page": page, "params": params, "facets": _facet_links(facets, params),
        "query_string": urlencode(params), "page_sizes": PAGE_SIZES, "page_size": _page_size(request),
        "pager_query": urlencode({k: v for k, v in params.items() if k != "page"}),
        "can_author": can_author(request.user), "sees_unpublished": sees_unpublished(request.user),
        "active_filters": bool(set(params) - {"page_size"}),
    }
    return render(request, "offer/catalogue.html", context)


@public
@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = service_get(user=request.user, pk=pk)
    editable = can_edit_service(request.user, service)
    show_history = editable or request.user.is_authenticated and request.user.is_coordinator
    return render(request, "offer/service.html", {
        "service": service, "can_edit": editable,
        "can_publish": editable and service.can_move_to(Service.Status.PUBLISHED),
        "can_archive": editable and service.can_move_to(Service.Status.ARCHIVED),
        "can_redraft": editable and service.can_move_to(Service.Status.DRAFT),
        "can_delete": can_delete_service(request.user, service),
        "history": service_history(service=service) if show_history else None,
        "capacities": ", ".join(service.choice_labels("capacities")),
        "audience": ", ".join(service.choice_labels("audience")),
        "categories": ", ".join(service.choice_labels("municipal_categories")),
        "expired": bool(service.valid_until and service.valid_until < timezone.localdate()),
    })


def _apply_errors(form: ServiceForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    if not can_author(request.user):
        raise PermissionDenied
    org = request.user.organization
    form = ServiceForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        try:
            service = service_create(
                user=request.user, data=form.service_data(), sectors=list(form.cleaned_data["sectors"]),
                departments=list(form.cleaned_data.get("departments") or []),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Servicio guardado como borrador. Revíselo y publíquelo cuando esté listo."))
            return redirect(service)
    return render(request, "offer/service_form.html", {"form": form, "org": org, "service": None})


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = service_get_for_edit(user=request.user, pk=pk)
    form = ServiceForm(request.POST or None, instance=service, organization=service.organization)
    if request.method == "POST" and form.is_valid():
        try:
            service_update(
                user=request.user, service=service, data=form.service_data(),
                sectors=list(form.cleaned_data["sectors"]),
                departments=list(form.cleaned_data.get("departments") or []),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect(service)
    return render(request, "offer/service_form.html", {"form": form, "org": service.organization, "service": service})


def _transition(request: HttpRequest, pk: int, status: str, done: str) -> HttpResponse:
    service = service_get_for_edit(user=request.user, pk=pk)
    try:
        service_transition(user=request.user, service=service, status=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(service)


@login_required
@require_POST
def service_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Service.Status.PUBLISHED, _("Servicio publicado: ya aparece en el catálogo."))


@login_required
@require_POST
def service_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Service.Status.ARCHIVED, _("Servicio archivado: ya no aparece en el catálogo."))


@login_required
@require_POST
def service_redraft_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Service.Status.DRAFT, _("Servicio devuelto a borrador."))


@login_required
@require_http_methods(["GET", "POST"])
def service_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a draft; anyone but its owner (or any non-draft) gets 404."""
    service = service_get(user=request.user, pk=pk)
    if not can_delete_service(request.user, service):
        raise Http404
    if request.method == "POST":
        service_delete(user=request.user, service=service)
        messages.success(request, _("Borrador «%(name)s» eliminado.") % {"name": service.name})
        return redirect("offer:mine")
    return render(request, "offer/service_confirm_delete.html", {"service": service})


@login_required
@require_GET
def my_services(request: HttpRequest) -> HttpResponse:
    if not can_author(request.user):
        raise PermissionDenied
    services = organization_services(user=request.user, organization=request.user.organization)
    return render(request, "offer/mine.html", {"services": services, "org": request.user.organization})


@public
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The catalogue as the user sees it, with the page's filters, in XLSX or CSV (apps.core.exports)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    services = service_list(user=request.user, filters=_params(request))
    dataset = ServiceExportResource().export(queryset=services)
    filename = f"oferta-att-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(filename, dataset.headers, dataset, sheet_title=_("Oferta"))
    return csv_response(filename, dataset.headers, dataset)


SESSION_KEY = "offer_import"


def _row_errors(result) -> list[dict]:
    """Row-level problems in Spanish, numbered as the spreadsheet numbers them (header = 1)."""
    from apps.offer.resources import COLUMN_LABELS

    by_attr = {f.attribute: column for column, f in COLUMN_LABELS.items()}
    rows = []
    for invalid in result.invalid_rows:
        for field, errors in invalid.error_dict.items():
            column = by_attr.get(field, _("fila") if field in ("__all__", "NON_FIELD_ERRORS") else field)
            rows.append({"line": invalid.number + 1, "column": column, "message": " ".join(map(str, errors))})
    rows.extend(
        {"line": number + 1, "column": "", "message": str(error.error)}
        for number, errors in result.row_errors() for error in errors
    )
    return sorted(rows, key=lambda r: r["line"])


@login_required
@require_http_methods(["GET", "POST"])
def service_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (dry run, nothing saved) → confirm: imports rows as drafts of the user's organisation."""
    if not can_author(request.user):
        raise PermissionDenied
    resource = ServiceImportResource(organization=request.user.organization, user=request.user)
    context: dict = {"form": ImportForm(), "org": request.user.organization}
    if request.method == "POST" and request.POST.get("confirm"):
        stash = request.session.pop(SESSION_KEY, None)
        if stash is None:
            messages.error(request, _("La vista previa expiró: cargue el archivo de nuevo."))
            return redirect("offer:import")
        dataset = import_dataset(base64.b64decode(stash["content"]))
        result = resource.import_data(dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
        if result.has_errors() or result.has_validation_errors():
            context["errors"] = _row_errors(result)
        else:
            messages.success(request, _("Se crearon %(new)d servicios como borradores y se actualizaron %(updated)d.")
                             % {"new": result.totals["new"], "updated": result.totals["update"]})
            return redirect("offer:mine")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                dataset = import_dataset(content)
            except BadFile as exc:
                form.add_error("file", str(exc))
            else:
                result = resource.import_data(dataset, dry_run=True, use_transactions=True)
                context["errors"] = _row_errors(result)
                context["preview"] = [
                    {"line": i + 2, "name": row.get("nombre", ""), "type": row.get("tipo", ""),
                     "sectors": row.get("sectores", "")}
                    for i, row in enumerate(dataset.dict)
                ]
                if not context["errors"] and context["preview"]:
                    request.session[SESSION_KEY] = {"content": base64.b64encode(content).decode(), "name": upload.name}
                    context["ready"] = True
    return render(request, "offer/import.html", context)

