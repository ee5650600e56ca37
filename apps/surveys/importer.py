"""Turn an export's rows into resolved submissions and answers, without writing anything.

`parse_export()` is the dry run: it matches the headers, resolves every row to a DIVIPOLA
municipality, a department or a national entity, parses each answer and picks each entity's
latest submission. The service writes what it returns. Parsing is cached per distinct cell
text, so 15,000 rows that repeat the same answers cost little more than reading them.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.text import normalize
from apps.surveys.models import Question, Survey
from apps.surveys.reader import BadFile, detect_format, read_rows
from apps.territory.models import Department, Municipality, NationalEntity

FINISHED = "Hora de finalización"
STARTED = "Hora de inicio"
ID = "Id"
KEY_COLUMNS = {
    Survey.Unit.MUNICIPALITY: ["Departamento", "Municipio"],
    Survey.Unit.DEPARTMENT: ["Departamento"],
    Survey.Unit.NATIONAL_ENTITY: ["Nombre de la entidad"],
}
# Typed names often carry the kind of entity in front of the name.
PREFIXES = ("municipio de ", "alcaldia municipal de ", "alcaldia de ", "departamento del ", "departamento de ",
            "gobernacion del ", "gobernacion de ", "distrito capital de ", "distrito de ")
DEPARTMENT_ALIASES = {"bogota": "11", "bogota dc": "11", "bogota d.c": "11", "san andres": "88",
                      "san andres y providencia": "88", "valle": "76", "guajira": "44"}
# An answer as stored: (question id, option id or None, position in the cell, number, text).
AnswerTuple = tuple[int, int | None, int, int | None, str]


@dataclass(slots=True)
class ParsedRow:
    row_number: int
    key: str
    municipality_id: str | None
    department_id: str | None
    national_entity_id: int | None
    external_id: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    identity: dict
    answers: list[tuple[AnswerTuple, ...]]
    is_latest: bool = False


@dataclass
class Rejected:
    row_number: int
    reason: str
    data: dict


@dataclass
class ParseResult:
    survey: Survey
    file_format: str
    sha256: str
    accepted: list[ParsedRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def respondents(self) -> int:
        return sum(1 for row in self.accepted if row.is_latest)

    @property
    def total_rows(self) -> int:
        return len(self.accepted) + len(self.rejected)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _strip_prefix(text: str) -> str:
    for prefix in PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix):].strip()
    return text


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    return str(value).strip()


class Resolver:
    """Names typed by people → DIVIPOLA codes or national-entity ids, memoised per distinct text."""

    def __init__(self, unit: str):
        self.unit = unit
        self.departments: dict[str, str] = dict(DEPARTMENT_ALIASES)
        self.department_names: dict[str, str] = {}
        for dept in Department.objects.all():
            self.department_names[dept.code] = dept.display_name
            for name in (dept.name, dept.display_name, dept.code):
                self.departments[normalize(name)] = dept.code
        self.municipalities: dict[tuple[str, str], str] = {}
        if unit == Survey.Unit.MUNICIPALITY:
            for code, dept, name, display in Municipality.objects.values_list(
                "code", "department_id", "name", "display_name"
            ):
                for text in (name, display, code):
                    self.municipalities[(dept, normalize(text))] = code
        self.entities: dict[str, int] = {}
        if unit == Survey.Unit.NATIONAL_ENTITY:
            for pk, name, acronym in NationalEntity.objects.values_list("pk", "name", "acronym"):
                self.entities[normalize(name)] = pk
                self.entities[normalize(acronym)] = pk
        self._cache: dict[tuple, tuple] = {}

    def resolve(self, names: tuple) -> tuple[tuple | None, str]:
        """((municipality, department, entity), "") or (None, reason)."""
        cached = self._cache.get(names)
        if cached is None:
            cached = self._cache[names] = self._resolve(names)
        return cached

    def _department(self, raw: object) -> str | None:
        term = normalize(raw)
        return self.departments.get(term) or self.departments.get(_strip_prefix(term))

    def _resolve(self, names: tuple) -> tuple[tuple | None, str]:
        if self.unit == Survey.Unit.NATIONAL_ENTITY:
            (raw,) = names
            if _blank(raw):
                return None, _("Falta el nombre de la entidad.")
            term = normalize(raw)
            pk = self.entities.get(term) or self.entities.get(_strip_prefix(term))
            if pk is None:
                return None, _("«%(name)s» no es una entidad nacional registrada (nombre completo o sigla).") % {
                    "name": _text(raw)}
            return (None, None, pk), ""
        raw_dept = names[0]
        if _blank(raw_dept):
            return None, _("Falta el departamento.")
        dept = self._department(raw_dept)
        if dept is None:
            return None, _("El departamento «%(name)s» no existe en DIVIPOLA.") % {"name": _text(raw_dept)}
        if self.unit == Survey.Unit.DEPARTMENT:
            return (None, dept, None), ""
        raw_muni = names[1]
        if _blank(raw_muni):
            return None, _("Falta el municipio.")
        term = normalize(raw_muni)
        code = self.municipalities.get((dept, term)) or self.municipalities.get((dept, _strip_prefix(term)))
        if code is None:
            return None, _("El municipio «%(name)s» no existe en %(dept)s.") % {
                "name": _text(raw_muni), "dept": self.department_names[dept]}
        return (code, dept, None), ""


class AnswerParser:
    """One question's cells → answer tuples, memoised per distinct cell value."""

    def __init__(self, question: Question):
        self.question = question
        self.exact: dict[str, int] = {}
        self.loose: dict[str, int] = {}
        for option in question.options.all():
            self.exact[option.text] = option.pk
            self.loose[normalize(option.text)] = option.pk
            if option.alias:
                self.loose.setdefault(normalize(option.alias), option.pk)
        self._cache: dict[object, tuple[AnswerTuple, ...]] = {}

    def parse(self, value: object) -> tuple[AnswerTuple, ...]:
        """Raises ValueError for a number cell that holds no integer."""
        try:
            return self._cache[value]
        except KeyError:
            parsed = self._cache[value] = self._parse(value)
            return parsed
        except TypeError:  # unhashable cell value (never from calamine or csv)
            return self._parse(value)

    def _option(self, text: str) -> int | None:
        return self.exact.get(text) or self.loose.get(normalize(text))

    def _parse(self, value: object) -> tuple[AnswerTuple, ...]:
        if _blank(value):
            return ()
        qid, qtype = self.question.pk, self.question.type
        if qtype == Question.Type.NUMBER:
            number = _integer(value)
            return ((qid, None, 0, number, ""),)
        if qtype == Question.Type.SCALE:
            level = _integer(value)
            if not 1 <= level <= 5:
                raise ValueError(value)
            return ((qid, None, 0, level, ""),)
        text = _text(value)
        if qtype == Question.Type.TEXT:
            return ((qid, None, 0, None, text),)
        if qtype == Question.Type.SINGLE:
            option = self._option(text)
            return ((qid, option, 0, None, "" if option else text),)
        chosen: list[AnswerTuple] = []
        seen: set = set()
        for part in text.split(";"):
            part = part.strip()
            if not part:
                continue
            option = self._option(part)
            marker = option or normalize(part)
            if marker in seen:  # each option at most once per row
                continue
            seen.add(marker)
            chosen.append((qid, option, len(chosen), None, "" if option else part))
        return tuple(chosen)


def _integer(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    text = str(value).strip().replace(" ", "")
    try:
        return int(text)
    except ValueError:
        number = float(text.replace(",", "."))
        if not number.is_integer():
            raise ValueError(value) from None
        return int(number)


_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serials are local wall-clock times


def _datetime(value: object) -> dt.datetime | None:
    """Excel date-time, serial number or `dd/mm/yyyy hh:mm:ss` → aware Bogotá time; ValueError if unreadable."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        naive = value
    elif isinstance(value, dt.date):
        naive = dt.datetime.combine(value, dt.time())
    elif isinstance(value, int | float):
        naive = _EXCEL_EPOCH + dt.timedelta(days=float(value))
    else:
        text = str(value).strip()
        for fmt in _DATE_FORMATS:
            try:
                naive = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
        else:
            raise ValueError(value)
    if naive.tzinfo is not None:
        return naive
    # zoneinfo resolves the offset on use; replace() is much cheaper than make_aware() per row.
    return naive.replace(microsecond=0, tzinfo=timezone.get_default_timezone())


class ColumnMap:
    """Header texts matched after normalising white space, case and accents, in any order."""

    def __init__(self, header: list, survey: Survey, questions: list[Question]):
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            positions.setdefault(normalize(cell), index)
        self.header = [_text(cell) for cell in header]
        required = [FINISHED, *KEY_COLUMNS[survey.unit], *(q.header for q in questions)]
        missing = [name for name in required if normalize(name) not in positions]
        if missing:
            raise BadFile(_("Faltan columnas obligatorias: %(names)s.")
                          % {"names": ", ".join(f"«{name}»" for name in missing)})
        self.finished = positions[normalize(FINISHED)]
        self.started = positions.get(normalize(STARTED))
        self.id = positions.get(normalize(ID))
        self.keys = [positions[normalize(name)] for name in KEY_COLUMNS[survey.unit]]
        self.identity = [(name, positions[normalize(name)]) for name in survey.identity_columns
                         if normalize(name) in positions]
        self.questions = [positions[normalize(q.header)] for q in questions]
        self.width = len(header)


def _row_data(columns: ColumnMap, row: list) -> dict:
    return {name or f"Columna {i + 1}": _text(row[i]) if i < len(row) else ""
            for i, name in enumerate(columns.header)}


def parse_rows(survey: Survey, header: list, rows: Iterable[list], *, file_format: str = "xlsx",
               sha256: str = "") -> ParseResult:
    """Resolve and parse every row; pick each entity's latest submission."""
    questions = list(survey.questions.prefetch_related("options").order_by("position"))
    columns = ColumnMap(header, survey, questions)
    parsers = [AnswerParser(q) for q in questions]
    resolver = Resolver(survey.unit)
    result = ParseResult(survey=survey, file_format=file_format, sha256=sha256)
    latest: dict[str, ParsedRow] = {}
    pad = [""] * columns.width
    for row_number, row in enumerate(rows, start=2):
        if len(row) < columns.width:
            row = list(row) + pad[: columns.width - len(row)]
        if not any(not _blank(cell) for cell in row):
            continue  # blank line: neither a submission nor a rejection
        parsed = _parse_row(row_number, row, columns, parsers, resolver, result)
        if parsed is None:
            continue
        result.accepted.append(parsed)
        best = latest.get(parsed.key)
        if best is None or _order(parsed) > _order(best):
            latest[parsed.key] = parsed
    for row in latest.values():
        row.is_latest = True
    return result


def _order(row: ParsedRow) -> tuple:
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    return (row.finished_at or floor, row.row_number)


def _parse_row(row_number: int, row: list, columns: ColumnMap, parsers: list[AnswerParser],
               resolver: Resolver, result: ParseResult) -> ParsedRow | None:
    def reject(reason: str) -> None:
        result.rejected.append(Rejected(row_number, reason, _row_data(columns, row)))

    ids, reason = resolver.resolve(tuple(row[i] for i in columns.keys))
    if ids is None:
        return reject(reason)
    try:
        finished_at = _datetime(row[columns.finished])
        started_at = _datetime(row[columns.started]) if columns.started is not None else None
    except ValueError:
        return reject(_("La hora de inicio o de finalización no es una fecha válida."))
    answers = []
    for parser, index in zip(parsers, columns.questions, strict=True):
        try:
            answers.append(parser.parse(row[index]))
        except ValueError:
            message = (_("%(key)s: «%(value)s» no es un nivel de 1 a 5.")
                       if parser.question.type == Question.Type.SCALE else
                       _("%(key)s: «%(value)s» no es un número entero."))
            return reject(message % {"key": parser.question.key, "value": _text(row[index])})
    municipality_id, department_id, entity_id = ids
    return ParsedRow(
        row_number=row_number, key=str(municipality_id or entity_id or department_id),
        municipality_id=municipality_id, department_id=department_id, national_entity_id=entity_id,
        external_id=_text(row[columns.id]) if columns.id is not None else "",
        started_at=started_at, finished_at=finished_at,
        identity={name: _text(row[i]) for name, i in columns.identity}, answers=answers,
    )


def parse_export(survey: Survey, path: Path) -> ParseResult:
    """The dry run of one file: raises BadFile (nothing read further) or returns what would be written."""
    file_format = detect_format(path)
    header, rows = read_rows(path, file_format)
    result = parse_rows(survey, header, rows, file_format=file_format, sha256=file_sha256(path))
    if not result.accepted and not result.rejected:
        raise BadFile(_("La hoja no tiene respuestas: solo encabezados."))
    return result


def iter_answers(rows: Iterable[ParsedRow], submission_ids: Iterable[int], survey_id: int) -> Iterator[tuple]:
    """Answer table rows: (survey, submission, question, option, position, is_latest, number, text)."""
    for row, submission_id in zip(rows, submission_ids, strict=True):
        latest = row.is_latest
        for cell in row.answers:
            for qid, option, position, number, text in cell:
                yield (survey_id, submission_id, qid, option, position, latest, number, text)
