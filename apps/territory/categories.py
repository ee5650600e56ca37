"""Municipal category (Ley 617 de 2000), PDET and ZOMAC flags, loaded from a spreadsheet by DIVIPOLA code.

The platform ships no categories: the category changes every year (the Contaduría General de la
Nación publishes each municipality's category by resolution) and only data whose source can be
named is loaded. The admin uploads the file with `manage.py load_municipal_categories FILE
--source "…"`; the source text is stored on each municipality changed. Columns (headers matched
ignoring case, accents and spaces): `codigo` (DIVIPOLA, 5 digits), `categoria` (especial, 1–6 or
primera…sexta; blank: unknown), and optionally `pdet` and `zomac` (si/no). The file goes through
the project's upload guard (apps/core/uploads.py) and is parsed in a child process. One wrong
row refuses the whole file, naming every bad row; nothing is changed then.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.text import normalize
from apps.core.uploads import BadFile, check_spreadsheet, csv_rows, decode_csv, parse_in_child, xlsx_first_sheet
from apps.core.vocabulary import MunicipalCategory
from apps.territory.models import Municipality

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS, MAX_COLS = 5000, 30
HEADERS = {"codigo": "code", "codigo divipola": "code", "divipola": "code", "cod mpio": "code",
           "categoria": "category", "categoria municipal": "category", "pdet": "pdet", "zomac": "zomac"}
WORDS = {"especial": "especial", "e": "especial", "primera": "1", "segunda": "2", "tercera": "3", "cuarta": "4",
         "quinta": "5", "sexta": "6"}
YES, NO = {"si", "s", "x", "1", "true", "verdadero"}, {"no", "n", "0", "false", "falso", ""}


@dataclass
class Result:
    changed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _rows(path: Path) -> list[list]:
    file_format = check_spreadsheet(str(path), max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_cols=MAX_COLS)
    if file_format == "csv":
        return list(csv_rows(decode_csv(path.read_bytes()), max_cols=MAX_COLS, max_rows=MAX_ROWS))
    return parse_in_child(xlsx_first_sheet, str(path))


def _category(value) -> str | None:
    text = normalize(value)
    if text.endswith(".0"):
        text = text[:-2]
    text = text.replace("categoria", "").strip()
    if not text:
        return ""
    if text in MunicipalCategory.values:
        return text
    return WORDS.get(text)


def _flag(value) -> bool | None:
    text = normalize(value)
    if text.endswith(".0"):
        text = text[:-2]
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def parse(rows: list[list]) -> tuple[dict[str, dict], list[str]]:
    """{DIVIPOLA code: {field: value}} and the Spanish errors, one per bad row."""
    if not rows:
        raise BadFile(_("El archivo está vacío."))
    columns = {i: HEADERS.get(normalize(h)) for i, h in enumerate(rows[0])}
    present = set(columns.values())
    if "code" not in present or "category" not in present:
        raise BadFile(_("Faltan columnas: el archivo debe tener «codigo» (DIVIPOLA) y «categoria»."))
    known = set(Municipality.objects.values_list("code", flat=True))
    out, errors = {}, []
    for number, row in enumerate(rows[1:], start=2):
        values = {columns[i]: v for i, v in enumerate(row) if columns.get(i)}
        if all(v in (None, "") for v in values.values()):
            continue
        code = normalize(values.get("code")).removesuffix(".0").zfill(5)
        if code not in known:
            errors.append(_("Fila %(n)s: «%(code)s» no es un código DIVIPOLA de municipio.")
                          % {"n": number, "code": values.get("code")})
            continue
        category = _category(values.get("category"))
        if category is None:
            errors.append(_("Fila %(n)s: categoría «%(value)s» desconocida (use especial o 1 a 6).")
                          % {"n": number, "value": values.get("category")})
            continue
        item = {"category": category}
        for flag in ("pdet", "zomac"):
            if flag in present:
                parsed = _flag(values.get(flag))
                if parsed is None:
                    errors.append(_("Fila %(n)s: «%(value)s» en %(col)s; escriba sí o no.")
                                  % {"n": number, "value": values.get(flag), "col": flag.upper()})
                    break
                item[flag] = parsed
        else:
            out[code] = item
    return out, errors


@transaction.atomic
def municipal_categories_load(*, path: Path, source: str, dry_run: bool = False) -> Result:
    """Load the file; raises BadFile for an unreadable file, returns the errors of bad rows (and
    changes nothing) or how many municipalities changed."""
    source = " ".join((source or "").split())
    if not source:
        raise BadFile(_("Indique la fuente de los datos (entidad, resolución o año)."))
    data, errors = parse(_rows(Path(path)))
    result = Result(errors=errors)
    if errors:
        return result
    for muni in Municipality.objects.filter(code__in=data):
        wanted = data[muni.code] | {"category_source": source[:200]}
        changed = [f for f, v in wanted.items() if getattr(muni, f) != v and f != "category_source"]
        if not changed:
            result.unchanged += 1
            continue
        for f, v in wanted.items():
            setattr(muni, f, v)
        if not dry_run:
            muni.save(update_fields=[*changed, "category_source"])
        result.changed += 1
    return result
