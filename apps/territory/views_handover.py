"""The handover report pages (informe de empalme): HTML to read and print, PDF to keep.

Only the territory's people and coordinators open them; anyone else gets 404, as for a missing
territory (the report carries private rows and people's contacts). No public version: the public
part of the memory is already the timeline on the territory's page.
"""

import logging
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.core.decorators import login_required
from apps.territory.handover import TERM_ENDS, TERM_STARTS, TERMS, handover_build
from apps.territory.models import Department, Municipality
from apps.territory.timeline import is_territory_insider

PAPER = {"carta": "letter", "a4": "A4"}
# Dates people may ask for: a memory begins with the platform's records and no term runs past the
# century (year 9999 overflows the day after the end; year 1 the time zone shift).
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
# WeasyPrint narrates each step at INFO (also when first imported) and warns about the print rules
# meant for browsers (clip-path); only its errors are worth the log.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def _period(request: HttpRequest) -> tuple[date, date, str]:
    """The dates asked for (?desde=&hasta=, ISO), else the current term; an error to show if bad."""
    raw_start, raw_end = request.GET.get("desde", ""), request.GET.get("hasta", "")
    if not raw_start and not raw_end:
        return TERM_STARTS, TERM_ENDS, ""
    try:
        starts_on = date.fromisoformat(raw_start) if raw_start else TERM_STARTS
        ends_on = date.fromisoformat(raw_end) if raw_end else TERM_ENDS
    except ValueError:
        return TERM_STARTS, TERM_ENDS, _("Escriba las fechas como AAAA-MM-DD; se muestra el periodo de gobierno "
                                         "actual.")
    if not (EARLIEST <= starts_on <= LATEST and EARLIEST <= ends_on <= LATEST):
        return TERM_STARTS, TERM_ENDS, _("Escriba fechas entre 1990 y 2100; se muestra el periodo de gobierno "
                                         "actual.")
    if ends_on < starts_on:
        return TERM_STARTS, TERM_ENDS, _("La fecha final debe ser posterior a la inicial; se muestra el periodo "
                                         "de gobierno actual.")
    return starts_on, ends_on, ""


def _respond(request: HttpRequest, **territory) -> HttpResponse:
    if not is_territory_insider(request.user, **territory):
        raise Http404
    starts_on, ends_on, error = _period(request)
    report = handover_build(user=request.user, starts_on=starts_on, ends_on=ends_on, **territory)
    paper = request.GET.get("papel", "carta")
    context = {"report": report, "period_error": error, "terms": TERMS, "paper": PAPER.get(paper, "letter"),
               "paper_key": paper if paper in PAPER else "carta", **territory}
    if request.GET.get("formato") != "pdf":
        return render(request, "territory/handover.html", context)
    return _pdf(request, context, report)


def _pdf(request: HttpRequest, context: dict, report) -> HttpResponse:
    from weasyprint import HTML, URLFetcher  # heavy, and only this page needs it

    html = render_to_string("territory/handover_pdf.html", {**context, "pdf": True}, request=request)
    # The report is self-contained (inline CSS, no images): fetch nothing, neither files nor URLs,
    # whatever a title or a note may hold. The base URL only makes the links absolute.
    no_fetching = URLFetcher(allowed_protocols=())
    document = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=no_fetching).write_pdf()
    name = slugify(f"empalme {report.name} {report.code} {report.starts_on:%Y%m%d} {report.ends_on:%Y%m%d}")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def municipality_handover(request: HttpRequest, code: str) -> HttpResponse:
    muni = get_object_or_404(Municipality.objects.select_related("department"), code=code)
    return _respond(request, municipality=muni)


@login_required
@require_GET
def department_handover(request: HttpRequest, code: str) -> HttpResponse:
    dept = get_object_or_404(Department, code=code)
    return _respond(request, department=dept)
