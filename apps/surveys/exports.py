"""Results as a table (one row per question and option) for CSV and XLSX downloads.

The views write them with `apps.core.exports` (`;` CSV with a BOM, formula-safe cells everywhere,
headers of uploaded files included).
"""

from django.utils.translation import gettext as _


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
            if item["type"] == "scale":
                rows.append([*base, _("Promedio"), item["mean"], "", answered])
        elif item["type"] == "number":
            labels = {"sum": _("Suma"), "min": _("Mínimo"), "max": _("Máximo")}
            rows.extend([*base, label, item[measure], "", answered] for measure, label in labels.items())
        else:
            rows.append([*base, _("Respondieron"), answered, "", answered])
    return headers, rows


def result_preamble(results: dict) -> list[list]:
    unit = _("entidad (última respuesta)") if results["unit"] == "entity" else _("respuesta")
    return [[_("Encuesta"), results["survey"]], [_("Unidad"), unit],
            [_("Entidades"), results["respondents"]], [_("Respuestas aceptadas"), results["submissions"]],
            [_("Filas rechazadas"), results["rejected"]], []]


def rejected_table(rows) -> tuple[list, list[list]]:
    """Rejected rows with their reason first and the original columns, to correct and re-import."""
    rows = list(rows)
    columns: list[str] = []
    for row in rows:
        for name in row.data:
            if name not in columns:
                columns.append(name)
    header = [_("Fila"), _("Motivo"), *columns]
    return header, [[row.row_number, row.reason, *(row.data.get(c, "") for c in columns)] for row in rows]

