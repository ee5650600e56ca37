"""Text helpers shared by every importer and search: names typed by people."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(value: object) -> str:
    """Lower case, no accents, single spaces: the form in which typed names are compared.

    Non-breaking and doubled spaces collapse into one; `None` becomes "".
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text).strip().casefold()


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in exported text (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value
