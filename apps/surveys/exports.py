"""Results as a table (one row per question and option) for CSV and XLSX downloads."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.core.text import safe_cell


def result_table(results: dict, questions: list) -> tuple[list[str], list[list]]:
    headers = [_("Clave"), _("Pregunta"), _("Tipo"), _("Opción o medida"), _("Valor"), _("Porcentaje"),
               _("Respondieron")]
    by_key = {q.key: q for q in questions}
    rows: list[list] = []
    for item in results["questions"]:
        question = by_key[item["key"]]
        base = [item["key"], question.header, question.get_type_display()]
        answered = item["answered"]
        if "counts" in item:
            for option, count in item["counts"].items():
                share = round(100 * count / answered, 1) if answered else 0
                rows.append([*base, option, count, share, answered])
        elif item["type"] == "number":
            labels = {"sum": _("Suma"), "min": _("Mínimo"), "max": _("Máximo")}
            rows.extend([*base, label, item[measure], "", answered] for measure, label in labels.items())
        else:
            rows.append([*base, _("Respondieron"), answered, "", answered])
    return headers, rows


def _preamble(results: dict) -> list[list]:
    unit = _("entidad (última respuesta)") if results["unit"] == "entity" else _("respuesta")
    return [[_("Encuesta"), results["survey"]], [_("Unidad"), unit],
            [_("Entidades"), results["respondents"]], [_("Respuestas aceptadas"), results["submissions"]],
            [_("Filas rechazadas"), results["rejected"]], []]


def results_csv(results: dict, questions: list) -> bytes:
    headers, rows = result_table(results, questions)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in [*_preamble(results), headers, *rows]:
        writer.writerow([safe_cell(c) for c in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def results_xlsx(results: dict, questions: list) -> bytes:
    headers, rows = result_table(results, questions)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Resultados"))
    for line in [*_preamble(results), headers, *rows]:
        sheet.append([safe_cell(c) for c in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected_csv(rows) -> bytes:
    """Rejected rows with their reason first and the original columns, to correct and re-import."""
    rows = list(rows)
    columns: list[str] = []
    for row in rows:
        for name in row.data:
            if name not in columns:
                columns.append(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Fila"), _("Motivo"), *columns])
    for row in rows:
        writer.writerow([row.row_number, safe_cell(row.reason), *(safe_cell(row.data.get(c, "")) for c in columns)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
