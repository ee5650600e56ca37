from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.accounts.models import Organization
from apps.core.collation import Spanish
from apps.core.decorators import public
from apps.territory.models import Department, Municipality, NationalEntity
from apps.territory.panels import render_panels
from apps.territory.selectors import department_list, municipality_search
from apps.territory.timeline import is_territory_insider, timeline


@public
@require_GET
def departments(request: HttpRequest) -> HttpResponse:
    return render(request, "territory/departments.html", {"departments": department_list()})


def _memory(request: HttpRequest, **territory) -> dict:
    """The timeline section of a territory page, and the handover report's link for its people."""
    memory = timeline(user=request.user, group=request.GET.get("actividad", ""),
                      page=request.GET.get("actividad_pagina"), **territory)
    handover = None
    if is_territory_insider(request.user, **territory):
        if "municipality" in territory:
            handover = reverse("territory:municipality_handover", args=[territory["municipality"].code])
        else:
            handover = reverse("territory:department_handover", args=[territory["department"].code])
    return {"timeline": memory, "handover_url": handover}


@public
@require_GET
def department(request: HttpRequest, code: str) -> HttpResponse:
    dept = get_object_or_404(Department, code=code)
    return render(
        request, "territory/department.html",
        {"department": dept, "municipalities": dept.municipalities.order_by(Spanish("display_name")),
         "panels": render_panels("department", request, dept), **_memory(request, department=dept)},
    )


@public
@require_GET
def municipality(request: HttpRequest, code: str) -> HttpResponse:
    muni = get_object_or_404(Municipality.objects.select_related("department"), code=code)
    return render(
        request, "territory/municipality.html",
        {"municipality": muni, "panels": render_panels("municipality", request, muni),
         **_memory(request, municipality=muni)},
    )


@public
@require_GET
def municipality_suggest(request: HttpRequest) -> HttpResponse:
    """Typed search for the picker: <option>s for a datalist (htmx) or JSON."""
    # A picker inside a formset sends its own prefixed field ("pickers-0-municipality_name").
    typed = next((v for k, v in request.GET.items() if k.endswith("municipality_name")), "")
    results = municipality_search(
        q=request.GET.get("q") or typed,
        department=request.GET.get("department", ""), limit=15,
    )
    if request.GET.get("format") == "options" or request.htmx:
        return render(request, "territory/_municipality_options.html", {"results": results})
    return JsonResponse(
        {"results": [{"code": m.code, "name": m.display_name, "department": m.department.display_name}
                     for m in results]}
    )


@public
@require_GET
def entities(request: HttpRequest) -> HttpResponse:
    qs = NationalEntity.objects.order_by(Spanish("name"))
    return render(request, "territory/entities.html", {"entities": qs})


@public
@require_GET
def entity(request: HttpRequest, acronym: str) -> HttpResponse:
    obj = get_object_or_404(NationalEntity, acronym=acronym)
    context = {"entity": obj, "panels": render_panels("entity", request, obj)}
    org = Organization.objects.filter(national_entity=obj).first()
    if org is not None:
        context["timeline"] = timeline(user=request.user, organization=org, group=request.GET.get("actividad", ""),
                                       page=request.GET.get("actividad_pagina"))
    return render(request, "territory/entity.html", context)


