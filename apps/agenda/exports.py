"""The agenda's events as CSV or XLSX: the same rows as the filtered calendar view.

No personal data (attendees stay out): the export is open to whoever may see the view, anonymous
visitors of the published agenda included. Text cells are neutralised against formulas; dates are
real dates in XLSX. apps/core/exports.py will take this over when it lands (one helper for all).
"""

import csv
import io
from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.text import safe_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[str]:
    return [_("Número"), _("Jornada"), _("Tipo"), _("Estado"), _("Inicio"), _("Fin"), _("Modalidad"),
            _("Lugar"), _("Enlace de la videollamada"), _("Entidades"), _("Municipios"), _("Departamentos"),
            _("Servicios"), _("Misión conjunta"), _("Página")]


def _names(items, attr: str = "name") -> str:
    return "; ".join(getattr(item, attr) for item in items)


def _naive(value):
    # openpyxl refuses aware datetimes: the sheet shows Bogotá's wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None)


def _row(event, url: str) -> list:
    providers = list(event.providers.all())
    munis = list(event.municipalities.all())
    return [
        event.pk, safe_cell(event.title), event.get_kind_display(), event.get_status_display(),
        _naive(event.starts_at), _naive(event.ends_at),
        event.get_modality_display(), safe_cell(event.place), safe_cell(event.video_url), safe_cell(_names(providers)),
        "; ".join(f"{m.display_name} ({m.department.display_name})" for m in munis),
        _names(event.departments.all(), "display_name"), safe_cell(_names(event.services.all())),
        _("Sí") if len(providers) > 1 else _("No"), url,
    ]


def events_response(events: Iterable, *, fmt: str, stamp: str, url_for: Callable[[object], str]) -> HttpResponse:
    rows = [_row(event, url_for(event)) for event in events]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Agenda"))
        sheet.append(_columns())
        for row in rows:
            sheet.append(row)
        response = HttpResponse(content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="agenda-{stamp}.xlsx"'
        book.save(response)
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so Excel opens the accents right
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_columns())
    for row in rows:
        writer.writerow([value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else value for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agenda-{stamp}.csv"'
    return response
