"""The agenda's events as CSV or XLSX: the same rows as the filtered calendar view, through the
platform's one exporter (apps/core/exports.py: `;` CSV with a BOM, real dates in XLSX, every text
cell formula-safe).

No personal data (attendees stay out): the export is open to whoever may see the view, anonymous
visitors of the published agenda included.
"""

from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from apps.core.exports import csv_response, xlsx_response


def _columns() -> list[str]:
    return [_("Número"), _("Jornada"), _("Tipo"), _("Estado"), _("Inicio"), _("Fin"), _("Modalidad"),
            _("Lugar"), _("Enlace de la videollamada"), _("Entidades"), _("Municipios"), _("Departamentos"),
            _("Servicios"), _("Misión conjunta"), _("Página")]


def _row(event, url: str) -> list:
    providers = list(event.providers.all())
    return [
        event.pk, event.title, event.get_kind_display(), event.get_status_display(), event.starts_at,
        event.ends_at, event.get_modality_display(), event.place, event.video_url,
        "; ".join(p.name for p in providers),
        "; ".join(f"{m.display_name} ({m.department.display_name})" for m in event.municipalities.all()),
        "; ".join(d.display_name for d in event.departments.all()),
        "; ".join(s.name for s in event.services.all()),
        _("Sí") if len(providers) > 1 else _("No"), url,
    ]


def events_response(events: Iterable, *, fmt: str, stamp: str, url_for: Callable[[object], str]) -> HttpResponse:
    rows = [_row(event, url_for(event)) for event in events]
    if fmt == "xlsx":
        return xlsx_response(f"agenda-{stamp}.xlsx", _columns(), rows, sheet_title=_("Agenda"))
    return csv_response(f"agenda-{stamp}.csv", _columns(), rows)
