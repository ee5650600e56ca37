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


# OWASP's CSV-injection list: a cell a spreadsheet may read as a formula starts with one of
# these, possibly after white space (Excel skips leading spaces and line breaks), or with a
# tab or carriage return. Full-width forms are included: some spreadsheets normalise them.
_FORMULA_CHARS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL_CHARS = ("\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in exported text (CSV/XLSX injection): such a cell gets a
    leading apostrophe, so spreadsheets show it as the text it is. Non-text values pass through."""
    if isinstance(value, str) and (value.startswith(_CONTROL_CHARS) or value.lstrip().startswith(_FORMULA_CHARS)):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """Undo `safe_cell` on a re-imported export: "'+57 601…" is "+57 601…" again, so editing an
    export and importing it back never adds an apostrophe to the data. Other text is untouched."""
    if text.startswith("'") and safe_cell(text[1:]) == text:
        return text[1:]
    return text
