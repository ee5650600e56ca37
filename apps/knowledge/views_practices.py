"""Pages of good practices, lessons learned, the guidelines library, "¿Quién resolvió esto antes?"
and the one search across knowledge. Views parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.decorators import login_required, public
from apps.core.vocabulary import Capacity, MunicipalCategory
from apps.knowledge import search as knowledge_search
from apps.knowledge import selectors_practices as selectors
from apps.knowledge import services_practices as services
from apps.knowledge.files import download_name
from apps.knowledge.forms_practices import GuidelineForm, GuidelineVersionForm, PracticeForm
from apps.knowledge.models import Guideline, Practice
from apps.knowledge.permissions_practices import (
    can_author_guideline,
    can_author_practice,
    can_edit_guideline,
    can_edit_practice,
)
from apps.territory.models import Department, Municipality, Sector

PAGE_SIZE = 20


def _get(request: HttpRequest, key: str, limit: int = 200) -> str:
    return request.GET.get(key, "").strip()[:limit]


def _page(request: HttpRequest, qs, params: dict):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, urlencode({k: v for k, v in params.items() if v})


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Practices -------------------------------------------------------------------------------------


@public
@require_GET
def practices(request: HttpRequest) -> HttpResponse:
    params = {k: _get(request, k) for k in ("q", "tipo", "sector", "capacidad", "departamento")}
    qs = selectors.practice_list(user=request.user, kind=params["tipo"], sector=params["sector"],
                                 capacity=params["capacidad"], department=params["departamento"], q=params["q"])
    page, query = _page(request, qs, params)
    return render(request, "knowledge/practice_list.html", {
        "page": page, "params": params, "query": query, "kinds": Practice.Kind.choices,
        "sectors": Sector.objects.order_by("name"), "capacities": Capacity.choices,
        "departments": Department.objects.all(), "can_author": can_author_practice(request.user),
    })


@public
@require_GET
def practice(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.practice_get(user=request.user, pk=pk)
    return render(request, "knowledge/practice_detail.html", {
        "practice": item, "links": selectors.practice_links(user=request.user, practice=item),
        "can_edit": can_edit_practice(request.user, item),
        "nearby": selectors.practices_nearby(user=request.user, sector=item.sector_id, topic=item.topics or item.title,
                                             municipality=item.municipality, department=item.department, limit=3),
    })


def _from_need(request: HttpRequest) -> dict:
    """?solicitud=<id>: a practice born of one of the person's needs starts linked to it."""
    need_id = _get(request, "solicitud", 12)
    if not (need_id.isascii() and need_id.isdigit()):  # "²" passes isdigit() and breaks int()
        return {}
    from apps.demand.selectors import need_get

    need = need_get(user=request.user, pk=int(need_id))
    return {"needs": [need], "sector": need.sector, "capacity": need.capacity, "topics": need.topic}


def _practice_form(request: HttpRequest, item: Practice | None) -> HttpResponse:
    initial = _from_need(request) if item is None and request.method == "GET" else {}
    form = PracticeForm(request.POST or None, user=request.user, practice=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.practice_create(user=request.user, data=form.service_data())
                if item.replayed:
                    messages.info(request, _("Esa buena práctica ya estaba registrada; no se registró otra vez."))
                else:
                    messages.success(request, _("Quedó registrada. Gracias por compartirla."))
            else:
                item = services.practice_update(user=request.user, practice=item, data=form.service_data())
                messages.success(request, _("Cambios guardados."))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(item.get_absolute_url())
    return render(request, "knowledge/practice_form.html", {"form": form, "practice": item}, status=400
                  if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def practice_create(request: HttpRequest) -> HttpResponse:
    if not can_author_practice(request.user):
        raise PermissionDenied
    return _practice_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _practice_form(request, selectors.practice_get_for_edit(user=request.user, pk=pk))


@public
@require_GET
def who_solved(request: HttpRequest) -> HttpResponse:
    """"¿Quién resolvió esto antes?": from a need (?solicitud=<id>) or typed: a sector, a topic and
    the territory that asks (the signed-in person's by default)."""
    need = None
    need_id = _get(request, "solicitud", 12)
    if need_id.isascii() and need_id.isdigit() and request.user.is_authenticated:
        from apps.demand.selectors import need_get

        need = need_get(user=request.user, pk=int(need_id))
    params = {"sector": _get(request, "sector"), "q": _get(request, "q"), "municipio": _get(request, "municipio", 5)}
    municipality = department = None
    if need is not None:
        suggestions = selectors.practices_for_need(user=request.user, need=need, limit=PAGE_SIZE)
    else:
        org = request.user.organization if request.user.is_authenticated else None
        if params["municipio"]:
            municipality = Municipality.objects.select_related("department").filter(code=params["municipio"]).first()
        elif org is not None and org.municipality_id:
            municipality = org.municipality
        elif org is not None and org.department_id:
            department = org.department
        suggestions = selectors.practices_nearby(
            user=request.user, sector=params["sector"] or None, topic=params["q"], municipality=municipality,
            department=department, limit=PAGE_SIZE)
    return render(request, "knowledge/who_solved.html", {
        "need": need, "params": params, "suggestions": suggestions, "sectors": Sector.objects.order_by("name"),
        "municipality": municipality or (need.municipality if need else None),
        "department": department or (need.department if need else None),
        "asked": bool(need or params["sector"] or params["q"]),
    })


# --- Guidelines ------------------------------------------------------------------------------------


@public
@require_GET
def guidelines(request: HttpRequest) -> HttpResponse:
    params = {k: _get(request, k) for k in ("q", "tipo", "sector", "capacidad", "categoria")}
    qs = selectors.guideline_list(user=request.user, kind=params["tipo"], sector=params["sector"],
                                  capacity=params["capacidad"], category=params["categoria"], q=params["q"])
    page, query = _page(request, qs, params)
    return render(request, "knowledge/guideline_list.html", {
        "page": page, "params": params, "query": query, "kinds": Guideline.Kind.choices,
        "sectors": Sector.objects.order_by("name"), "capacities": Capacity.choices,
        "categories": MunicipalCategory.choices, "can_author": can_author_guideline(request.user),
    })


def _labels(values: list, choices) -> str:
    names = dict(choices)
    return ", ".join(str(names[v]) for v in values if v in names)


@public
@require_GET
def guideline(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.guideline_get(user=request.user, pk=pk)
    from apps.offer.selectors import service_base

    return render(request, "knowledge/guideline_detail.html", {
        "guideline": item, "versions": list(item.versions.all()),
        "capacities": _labels(item.capacities, Capacity.choices),
        "categories": _labels(item.categories, MunicipalCategory.choices),
        "services": list(service_base(user=request.user).filter(guidelines=item).order_by("name")),
        "can_edit": can_edit_guideline(request.user, item), "version_form": GuidelineVersionForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def guideline_create(request: HttpRequest) -> HttpResponse:
    if not can_author_guideline(request.user):
        raise PermissionDenied
    form = GuidelineForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.guideline_create(user=request.user, data=form.service_data(),
                                             upload=form.cleaned_data["file"], notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Orientación publicada.") if not item.replayed
                             else _("Esa orientación ya estaba publicada; no se publicó otra vez."))
            return redirect(item.get_absolute_url())
    return render(request, "knowledge/guideline_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def guideline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.guideline_get_for_edit(user=request.user, pk=pk)
    form = GuidelineForm(request.POST or None, user=request.user, guideline=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.guideline_update(user=request.user, guideline=item, data=form.service_data())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect(item.get_absolute_url())
    return render(request, "knowledge/guideline_form.html", {"form": form, "guideline": item},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def guideline_version_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.guideline_get_for_edit(user=request.user, pk=pk)
    form = GuidelineVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.guideline_version_add(user=request.user, guideline=item,
                                                     upload=form.cleaned_data["file"], notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Versión %(n)s publicada.") % {"n": version.number} if not version.replayed
                             else _("Ese archivo ya es la última versión; no se agregó otra."))
            return redirect(item.get_absolute_url())
    return render(request, "knowledge/guideline_version_form.html", {"form": form, "guideline": item},
                  status=400 if form.errors else 200)


@public
@require_GET
def guideline_file(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """A version's file, as a download that no browser renders in the site's origin: attachment
    with a safe ASCII name, the type found when it was checked, nosniff, and a sandboxing CSP."""
    version = selectors.guideline_version_get(user=request.user, pk=pk, number=number)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    extension = version.file_name.rsplit(".", 1)[-1] if "." in version.file_name else "bin"
    response = FileResponse(handle, as_attachment=True, content_type=version.content_type,
                            filename=download_name(version.guideline.title, version.number, extension))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if not version.guideline.published else "public, max-age=3600"
    return response


# --- One search ------------------------------------------------------------------------------------


@public
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    params = {"q": _get(request, "q"), "tipo": _get(request, "tipo", 20), "sector": _get(request, "sector", 60),
              "departamento": _get(request, "departamento", 2), "municipio": _get(request, "municipio", 5)}
    kinds = [params["tipo"]] if params["tipo"] in knowledge_search.KINDS else None
    result = knowledge_search.knowledge_search_result(
        user=request.user, q=params["q"], kinds=kinds, sector=params["sector"] or None,
        department=params["departamento"] or None, municipality=params["municipio"] or None, limit=50)
    base = {k: v for k, v in params.items() if v and k != "tipo"}
    tabs = [{"kind": "", "label": _("Todo"), "count": result.total, "selected": not kinds,
             "url": "?" + urlencode(base)}]
    tabs += [{"kind": kind, "label": label, "count": result.counts.get(kind, 0), "selected": kinds == [kind],
              "url": "?" + urlencode({**base, "tipo": kind})} for kind, label in knowledge_search.KIND_LABELS.items()]
    return render(request, "knowledge/search.html", {
        "params": params, "result": result, "tabs": tabs, "sectors": Sector.objects.order_by("name"),
        "departments": Department.objects.all(),
    })
