"""Pages of the workshops (talleres): the public list, one workshop with its problem and solution
trees, the PATT's shared tree, and the short form to record or edit a workshop."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.models import Organization
from apps.core.decorators import login_required, public
from apps.knowledge import selectors_workshops as selectors
from apps.knowledge import services_workshops as services
from apps.knowledge.forms_workshops import CommitmentFormSet, WorkshopForm, commitment_rows, workshop_initial
from apps.knowledge.models import Workshop
from apps.knowledge.permissions_commitments import can_create
from apps.knowledge.permissions_workshops import can_edit_workshop, can_record_workshop
from apps.knowledge.trees import tree_build

PAGE_SIZE = 30


@public
@require_GET
def workshops(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    qs = selectors.workshop_list(user=request.user, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "knowledge/workshop_list.html", {
        "page": page, "items": list(page.object_list), "q": q,
        "can_record": can_record_workshop(request.user)})


def _detail_context(request: HttpRequest, workshop: Workshop) -> dict:
    tree = tree_build(workshop.tree_nodes.all())
    commitments = list(workshop.commitments.all())
    can_edit = can_edit_workshop(request.user, workshop)
    return {"workshop": workshop, "tree": tree, "commitments": commitments,
            "challenges": list(workshop.challenges.all()),
            "organizer_orgs": list(workshop.organizer_organizations.all()),
            "participant_orgs": list(workshop.participant_organizations.all()),
            "can_edit": can_edit, "history": selectors.workshop_history(workshop=workshop) if can_edit else None}


@public
@require_GET
def workshop(request: HttpRequest, slug: str) -> HttpResponse:
    obj = selectors.workshop_get(user=request.user, slug=slug)
    return render(request, "knowledge/workshop_detail.html", _detail_context(request, obj))


@public
@require_GET
def patt_tree(request: HttpRequest) -> HttpResponse:
    """The policy's shared problem and solution tree, built in the 2021 workshops."""
    obj = selectors.patt_tree_get(user=request.user)
    return render(request, "knowledge/workshop_patt.html", _detail_context(request, obj))


def _territory_initial(request: HttpRequest) -> dict:
    """A municipality's or a department's editor records workshops of their territory: start there."""
    org = request.user.organization
    if org is None or request.user.is_coordinator:
        return {}
    if org.municipality_id:
        return {"department": org.department_id, "municipality_name": org.municipality.display_name}
    if org.kind == Organization.Kind.DEPARTMENT:
        return {"department": org.department_id}
    return {}


def _form_page(request: HttpRequest, workshop: Workshop | None) -> HttpResponse:
    tree = tree_build(workshop.tree_nodes.all()) if workshop else None
    initial = workshop_initial(workshop, tree) if workshop and tree else _territory_initial(request)
    form = WorkshopForm(request.POST or None, initial=initial)
    # The commitments' own rule: a workshop's commitments are recorded by coordinators and by the
    # person who recorded the workshop (another organiser edits the rest, without the rows).
    may_commit = workshop is None or can_create(request.user, responsible=None, workshop=workshop)
    rows = CommitmentFormSet(request.POST or None if may_commit else None, prefix="compromiso")
    other_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and (not may_commit or rows.is_valid()):
        data = {**form.workshop_data(), "commitments": commitment_rows(rows) if may_commit else []}
        try:
            if workshop is None:
                saved = services.workshop_create(user=request.user, data=data)
            else:
                saved = services.workshop_update(user=request.user, workshop=workshop, data=data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            commitments_errors = errors.pop("commitments", [])
            other_errors = form.add_service_errors(errors)
            if commitments_errors:
                rows._non_form_errors = rows.error_class(commitments_errors)
        else:
            messages.success(request, _("Taller guardado.") if workshop else _("Taller registrado."))
            return redirect(saved)
    return render(request, "knowledge/workshop_form.html", {
        "form": form, "rows": rows if may_commit else None, "workshop": workshop, "other_errors": other_errors,
        "commitments": list(workshop.commitments.select_related("responsible")) if workshop else [],
        "is_editor": not request.user.is_coordinator})


@login_required
@require_http_methods(["GET", "POST"])
def workshop_new(request: HttpRequest) -> HttpResponse:
    if not can_record_workshop(request.user):
        raise PermissionDenied
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request: HttpRequest, slug: str) -> HttpResponse:
    obj = selectors.workshop_get(user=request.user, slug=slug)
    if not can_edit_workshop(request.user, obj):
        raise PermissionDenied
    return _form_page(request, obj)
