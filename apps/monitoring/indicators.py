"""Indicators of the technical assistance, computed by the database, each with its formula in words.

`indicators_compute(user=..., filters=Filters(...), by="department")` returns one `Indicator` per
code (national value plus a breakdown by department, municipal category, sector or provider).

How each figure is computed: an inner query written with the ORM gives one row per counted unit
(a need, an event, an answer, a pair territory × capacity ...) with its breakdown key `k`; an outer
`SELECT ... GROUP BY k` over it aggregates (`_aggregate`). So the number of queries is fixed per
indicator (one for the national value, one for the breakdown), whatever the number of rows, and
an event with three municipalities of one department is counted once in that department.

Conventions (written in each formula too):
- the period (or desde/hasta) selects events by their start date, needs by their filing date;
- an event's territory is each of its municipalities, or the department it names when it names no
  municipality of it; its sector is the sectors of the catalogue services it delivers;
- a respondent's territory is the one the follow-up was sent for;
- the department, category and municipality filters apply to the counted unit's territory (the
  need's, the event's, the respondent's); provider and sector filters to the events.

A closed period (`FrozenPeriod`) is read from its stored figures (see `period_payload`), never
recomputed, when it is asked for with no other filter than `by`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields import DurationField
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.agenda.models import AgendaPeriod, Event
from apps.agenda.models import Status as EventStatus
from apps.core.vocabulary import Capacity, MunicipalCategory
from apps.demand.models import Need
from apps.demand.models import Status as NeedStatus
from apps.monitoring.models import Audience, FrozenPeriod, Invitation
from apps.surveys.models import Answer, Question
from apps.territory.models import Municipality

BREAKDOWNS = ("department", "category", "sector", "provider")
CAPACITY_BREAKDOWN = "capacity"
CODES = (
    "coverage", "needs_answered", "days_to_event", "events_per_provider", "joint_missions",
    "satisfaction", "pertinence", "response_rate", "capacity_change",
    "plan_vs_delivered_events", "plan_vs_delivered_needs", "cost_per_territory", "cost_per_capacity_point",
)
ATTENDED = (NeedStatus.ATTENDED, NeedStatus.CLOSED)
NOT_FILED = (NeedStatus.DRAFT,)

EventMunicipality = Event.municipalities.through
EventDepartment = Event.departments.through
EventProvider = Event.providers.through
EventService = Event.services.through
EventNeed = Event.needs.through


@dataclass
class Filters:
    period: AgendaPeriod | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    department: str | None = None  # DIVIPOLA code
    sector: str | None = None  # Sector slug
    provider: int | None = None  # Organization id
    category: str | None = None  # municipal category
    municipality: str | None = None
    organization: int | None = None

    def window(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) in Bogotá time from the period or desde/hasta (desde/hasta win)."""
        starts_on = self.starts_on or (self.period.starts_on if self.period else None)
        ends_on = self.ends_on or (self.period.ends_on if self.period else None)
        tz = timezone.get_current_timezone()
        start = datetime.combine(starts_on, time.min, tzinfo=tz) if starts_on else None
        # The last day there is (9999-12-31, typed or sent) has no next day: no end then.
        end = datetime.combine(ends_on + timedelta(days=1), time.min, tzinfo=tz) if ends_on and ends_on < date.max \
            else None
        return start, end

    def only_period(self) -> bool:
        """True when nothing but the period narrows the figures (what a frozen period stores)."""
        return self.period is not None and not any((
            self.starts_on, self.ends_on, self.department, self.sector, self.provider, self.category,
            self.municipality, self.organization))


@dataclass
class Indicator:
    code: str
    name: str
    formula: str
    unit: str
    value: float | None
    numerator: float | None
    denominator: float | None
    breakdown: list[dict] = field(default_factory=list)
    by: str | None = None
    frozen: bool = False
    frozen_at: datetime | None = None
    baseline_2021: dict | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["frozen_at"] = self.frozen_at.isoformat() if self.frozen_at else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Indicator:
        data = dict(data)
        at = data.get("frozen_at")
        data["frozen_at"] = datetime.fromisoformat(at) if at else None
        return cls(**data)


# --- Definitions: name, unit and formula in plain Spanish ----------------------------------------

def definitions() -> dict[str, dict[str, str]]:
    """code → name, unit and formula (translated at call time)."""
    return {
        "coverage": {
            "name": _("Cobertura de la demanda"), "unit": "%",
            "formula": _("Territorios con solicitudes radicadas que recibieron al menos una jornada realizada "
                         "÷ territorios con solicitudes radicadas × 100. Territorio: el municipio de la "
                         "solicitud, o el departamento si la solicitud es del departamento. Periodo: fecha "
                         "de radicación de la solicitud."),
        },
        "needs_answered": {
            "name": _("Solicitudes atendidas"), "unit": "%",
            "formula": _("Solicitudes atendidas o cerradas ÷ solicitudes radicadas × 100 (periodo: fecha de "
                         "radicación). Por entidad: las solicitudes programadas en sus jornadas."),
        },
        "days_to_event": {
            "name": _("Días de la radicación a la jornada"), "unit": "días",
            "formula": _("Promedio (media aritmética), por solicitud, de los días entre su radicación y el "
                         "inicio de la primera jornada realizada que la atendió. Periodo: fecha de la jornada."),
        },
        "events_per_provider": {
            "name": _("Jornadas por entidad"), "unit": "jornadas",
            "formula": _("Jornadas realizadas contadas una vez por cada entidad que las prestó ÷ entidades "
                         "con al menos una jornada realizada. Por entidad: sus jornadas realizadas."),
        },
        "joint_missions": {
            "name": _("Misiones conjuntas"), "unit": "%",
            "formula": _("Jornadas realizadas prestadas por más de una entidad ÷ jornadas realizadas × 100."),
        },
        "satisfaction": {
            "name": _("Satisfacción"), "unit": "puntos",
            "formula": _("Promedio de las respuestas de 1 a 5 a «satisfacción» de la encuesta de seguimiento "
                         "de los participantes del territorio. Numerador: respuestas 4 o 5; denominador: "
                         "respuestas (su cociente es el porcentaje de satisfechos)."),
        },
        "pertinence": {
            "name": _("Pertinencia"), "unit": "puntos",
            "formula": _("Promedio de las respuestas de 1 a 5 a «pertinencia para su necesidad» de la encuesta "
                         "de seguimiento. Numerador: respuestas 4 o 5; denominador: respuestas."),
        },
        "response_rate": {
            "name": _("Respuesta a los seguimientos"), "unit": "%",
            "formula": _("Seguimientos respondidos ÷ seguimientos enviados × 100 (todas las encuestas: "
                         "territorio, entidad, capacidades antes y después)."),
        },
        "capacity_change": {
            "name": _("Cambio en las capacidades"), "unit": "puntos",
            "formula": _("Promedio, sobre los pares (territorio que responde, capacidad), de la última "
                         "autoevaluación de después menos la primera de antes, en la escala de 1 a 5. Solo "
                         "cuentan los pares con las dos mediciones. Numerador: suma de los cambios; "
                         "denominador: pares medidos."),
        },
        "plan_vs_delivered_events": {
            "name": _("Agenda publicada: jornadas realizadas"), "unit": "%",
            "formula": _("Jornadas de los periodos publicados que estaban en la agenda al publicarla y se "
                         "realizaron ÷ jornadas que estaban en la agenda al publicarla × 100."),
        },
        "plan_vs_delivered_needs": {
            "name": _("Agenda publicada: solicitudes atendidas"), "unit": "%",
            "formula": _("Solicitudes programadas en las jornadas de la agenda publicada que quedaron atendidas "
                         "o cerradas ÷ solicitudes programadas en esas jornadas × 100."),
        },
        "cost_per_territory": {
            "name": _("Costo por territorio atendido"), "unit": "COP",
            "formula": _("Suma del costo registrado de las jornadas realizadas ÷ territorios distintos que "
                         "esas jornadas atendieron. Solo jornadas con costo registrado."),
        },
        "cost_per_capacity_point": {
            "name": _("Costo por punto de capacidad ganado"), "unit": "COP",
            "formula": _("Suma del costo registrado de las jornadas realizadas con medición de capacidades ÷ "
                         "suma de los cambios (después − antes) de los pares territorio × capacidad medidos "
                         "en ellas. Sin valor si los cambios no suman más de cero."),
        },
    }


# --- SQL helpers -----------------------------------------------------------------------------

Inner = QuerySet | tuple[str, tuple]  # a queryset, or SQL with its parameters


def _aggregate(inner: Inner, select: str, *, grouped: bool = False, group: tuple[str, ...] = ()) -> list[tuple]:
    """Run `SELECT [group,] <select> FROM (<inner>) t [GROUP BY group]` (`grouped`: group by k).

    `select` names the inner columns as t.<name>; the inner query's values stay parameters.
    """
    group = group or (("k",) if grouped else ())
    sql, params = inner if isinstance(inner, tuple) else inner.query.sql_with_params()
    sql = _direct_followup_join(sql)
    keys = ", ".join(f"t.{name}" for name in group)
    if keys and select.startswith("GROUPING("):
        query = f"SELECT {keys}, {select} FROM ({sql}) t GROUP BY GROUPING SETS (({keys}), ())"  # noqa: S608
    elif keys:
        query = f"SELECT {keys}, {select} FROM ({sql}) t GROUP BY {keys}"  # noqa: S608 (values are params)
    else:
        query = f"SELECT {select} FROM ({sql}) t"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


# An answer's follow-up is reached by the ORM through its submission: answer → submission → invitation
# (Invitation.submission is the link). The invitation holds the submission's id itself, so the join
# through surveys_submission only costs a hash of every submission (~20 % of the answers' scans).
_FOLLOWUP_VIA_SUBMISSION = re.compile(
    r'INNER JOIN "surveys_submission" ON \("surveys_answer"\."submission_id" = "surveys_submission"\."id"\) '
    r'(INNER|LEFT OUTER) JOIN "monitoring_invitation" ON '
    r'\("surveys_submission"\."id" = "monitoring_invitation"\."submission_id"\)')
_FOLLOWUP_DIRECT = ('INNER JOIN "monitoring_invitation" ON '
                    '("surveys_answer"."submission_id" = "monitoring_invitation"."submission_id")')


def _direct_followup_join(sql: str) -> str:
    """Join answers straight to their follow-up invitation, skipping the submission in between.

    Only when the submission is used for nothing else and the invitation is required (an inner
    join, or `"monitoring_invitation"."id" IS NOT NULL`): then both joins give the same rows
    (answer.submission_id is a non-null foreign key, so the submission always exists).
    """
    match = _FOLLOWUP_VIA_SUBMISSION.search(sql)
    if match is None or len(_FOLLOWUP_VIA_SUBMISSION.findall(sql)) != 1:
        return sql
    if match.group(1) != "INNER" and '"monitoring_invitation"."id" IS NOT NULL' not in sql:
        return sql
    direct = sql[:match.start()] + _FOLLOWUP_DIRECT + sql[match.end():]
    return sql if '"surveys_submission"' in direct else direct


def _both(inner: Inner, select: str) -> tuple[tuple, list[tuple]]:
    """The national row and the rows by k from one inner query whose units each count once in the
    total whatever their k (distinct counts, or a k that is a function of the unit).

    PostgreSQL: one scan with GROUPING SETS ((k), ()); elsewhere two queries over the same rows.
    """
    if connection.vendor == "postgresql":
        rows = _aggregate(inner, f"GROUPING(t.k), {select}", grouped=True)
        total = next((row[2:] for row in rows if row[1] == 1), None)
        sql_rows = [(row[0], *row[2:]) for row in rows if row[1] == 0]
        if total is None:  # no rows at all: the total of nothing
            total = _aggregate(inner, select)[0]
        return total, sql_rows
    return _aggregate(inner, select)[0], _aggregate(inner, select, grouped=True)


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _ratio(numerator: Any, denominator: Any, scale: float = 100.0) -> float | None:
    if not denominator:
        return None
    return round(float(numerator or 0) * scale / float(denominator), 2)


def _days(value: Any) -> float | None:
    """An average duration from the database: a timedelta (PostgreSQL) or microseconds (SQLite)."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000


# --- Filters per counted unit ----------------------------------------------------------------

def _events_of_provider(provider: int) -> QuerySet:
    return EventProvider.objects.filter(organization_id=provider).values("event_id")


def _events_of_sector(sector: str) -> QuerySet:
    return EventService.objects.filter(service__sectors=sector).values("event_id")


def _event_side(filters: Filters, prefix: str = "", *, window: bool = True) -> Q:
    """Conditions on the event (at `prefix`, e.g. "event__"): period window, provider, sector."""
    q = Q()
    start, end = filters.window() if window else (None, None)
    if start:
        q &= Q(**{f"{prefix}starts_at__gte": start})
    if end:
        q &= Q(**{f"{prefix}starts_at__lt": end})
    for org in [o for o in (filters.provider, filters.organization) if o is not None]:
        q &= Q(**{f"{prefix}pk__in": _events_of_provider(org)}) if prefix == "" else \
            Q(**{f"{prefix[:-2]}_id__in": _events_of_provider(org)})
    if filters.sector:
        q &= Q(**{f"{prefix}pk__in": _events_of_sector(filters.sector)}) if prefix == "" else \
            Q(**{f"{prefix[:-2]}_id__in": _events_of_sector(filters.sector)})
    return q


def _event_territory(filters: Filters) -> Q:
    """An event's territory filters: any of its municipalities (or the department it names)."""
    q = Q()
    if filters.department:
        q &= Q(pk__in=EventMunicipality.objects.filter(municipality__department=filters.department)
               .values("event_id")) | Q(pk__in=EventDepartment.objects.filter(
                   department=filters.department).values("event_id"))
    if filters.category:
        q &= Q(pk__in=EventMunicipality.objects.filter(municipality__category=filters.category).values("event_id"))
    if filters.municipality:
        q &= Q(pk__in=EventMunicipality.objects.filter(municipality=filters.municipality).values("event_id"))
    return q


def _territory(filters: Filters, municipality: str, department: str) -> Q:
    """Territory filters on a unit whose municipality / department are at these paths."""
    q = Q()
    if filters.department:
        q &= Q(**{department: filters.department}) | Q(**{f"{municipality}__department": filters.department})
    if filters.category:
        q &= Q(**{f"{municipality}__category": filters.category})
    if filters.municipality:
        q &= Q(**{municipality: filters.municipality})
    return q


def _event_dims(prefix: str = "") -> dict[str, Any]:
    return {
        "department": Coalesce(F(f"{prefix}municipalities__department"), F(f"{prefix}departments")),
        "category": F(f"{prefix}municipalities__category"),
        "sector": F(f"{prefix}services__sectors"),
        "provider": F(f"{prefix}providers"),
    }


def _events_done(filters: Filters) -> QuerySet:
    return (Event.objects.filter(status=EventStatus.DONE).filter(_event_side(filters))
            .filter(_event_territory(filters)).order_by())


# --- One function per indicator: (value, numerator, denominator, breakdown rows) ---------------
# Each returns a dict {"total": (value, num, den), "rows": [(key, value, num, den)]}.

Result = dict[str, Any]


def _share(inner_by: Any, inner_total: QuerySet | None, by: str | None, select: str) -> Result:
    """Percentages from inner rows (u, [k,] ok): COUNT(DISTINCT u) and those with ok = 1 (distinct
    counts: the national figure comes from the same rows as the breakdown)."""
    rows = []
    if by and inner_by is not None:
        (num, den), grouped = _both(inner_by, select)
        rows = [(k, _ratio(n, d), _num(n), _num(d)) for k, n, d in grouped]
    else:
        assert inner_total is not None  # noqa: S101 (callers give one or the other)
        num, den = _aggregate(inner_total, select)[0]
    return {"total": (_ratio(num, den), _num(num), _num(den)), "rows": rows}


UNIT_SHARE = "SUM(t.ok), COUNT(*)"


def _unit_share(units: QuerySet, by: str | None, dims: dict[str, Any], single: tuple[str, ...]) -> Result:
    """Percentages over units given once each by `units` (annotated `u` = pk and `ok` = 0/1).

    A breakdown in `single` (one key per unit) reads the national figure from the same scan; any
    other (an event in several departments) takes the distinct (unit, key) pairs, and the national
    figure a scan of its own.
    """
    rows: list[tuple] = []
    if by in single:
        (num, den), grouped = _both(units.values("u", "ok", k=dims[by]), UNIT_SHARE)
    else:
        num, den = _aggregate(units.values("u", "ok"), UNIT_SHARE)[0]
        grouped = _aggregate(units.values("u", "ok", k=dims[by]).distinct(), UNIT_SHARE, grouped=True) if by else []
    rows = [(k, _ratio(n, d), _num(n), _num(d)) for k, n, d in grouped]
    return {"total": (_ratio(num, den), _num(num), _num(den)), "rows": rows}


# Inner rows may repeat a unit (an event in two sectors): the outer query counts distinct units.
SHARE = "COUNT(DISTINCT CASE WHEN t.ok = 1 THEN t.u END), COUNT(DISTINCT t.u)"


def _filed_needs(filters: Filters) -> QuerySet:
    start, end = filters.window()
    qs = Need.objects.filter(submitted_at__isnull=False).exclude(status__in=NOT_FILED).order_by()
    if start:
        qs = qs.filter(submitted_at__gte=start)
    if end:
        qs = qs.filter(submitted_at__lt=end)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.organization:
        qs = qs.filter(Q(organization=filters.organization)
                       | Q(pk__in=EventNeed.objects.filter(event_id__in=_events_of_provider(filters.organization))
                           .values("need_id")))
    return qs.filter(_territory(filters, "municipality", "department"))


def _need_dims() -> dict[str, Any]:
    return {"department": F("department"), "category": F("municipality__category"), "sector": F("sector"),
            "provider": F("agenda_events__providers")}


def coverage(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    reaching = Q(event__status=EventStatus.DONE)
    if filters.provider:
        reaching &= Q(event_id__in=_events_of_provider(filters.provider))
    # Sets of reached territories (hashed once by the database), not a lookup per need.
    reached_m = EventMunicipality.objects.filter(reaching).values("municipality_id")
    reached_d = EventDepartment.objects.filter(reaching).values("department_id")
    needs = _filed_needs(filters).annotate(
        u=Coalesce("municipality_id", "department_id"),
        ok=Case(When(municipality__isnull=False, then=_flag(Q(municipality_id__in=reached_m))),
                default=_flag(Q(department_id__in=reached_d))),
    )
    if by and by != "provider":
        return _share(needs.values("u", "ok", k=_need_dims()[by]), None, by, SHARE)
    num, den = _aggregate(needs.values("u", "ok"), SHARE)[0]
    rows: list[tuple] = []
    if by == "provider":
        # Territories with filed needs that each provider's realised events reached (÷ all of them).
        territories = needs.values("u")
        m = (EventMunicipality.objects.filter(reaching, municipality_id__in=territories)
             .values(u=F("municipality_id"), k=F("event__providers")))
        d = (EventDepartment.objects.filter(reaching, department_id__in=needs.filter(municipality__isnull=True)
                                            .values("department_id"))
             .values(u=F("department_id"), k=F("event__providers")))
        for k, n in _aggregate(m.union(d, all=True), "COUNT(DISTINCT t.u)", grouped=True):
            rows.append((k, _ratio(n, den), _num(n), _num(den)))
    return {"total": (_ratio(num, den), _num(num), _num(den)), "rows": rows}


def needs_answered(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    needs = _filed_needs(filters).annotate(u=F("pk"), ok=_flag(Q(status__in=ATTENDED)))
    if filters.provider:
        needs = needs.filter(pk__in=EventNeed.objects.filter(event_id__in=_events_of_provider(filters.provider))
                             .values("need_id"))
    return _unit_share(needs, by, _need_dims(), ("department", "category", "sector"))


def days_to_event(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    pairs = EventNeed.objects.filter(
        _event_side(filters, "event__"), event__status=EventStatus.DONE, need__submitted_at__isnull=False,
        event__starts_at__gte=F("need__submitted_at"),
    ).filter(_territory(filters, "need__municipality", "need__department")).order_by()
    dims = {"department": F("need__department"), "category": F("need__municipality__category"),
            "sector": F("need__sector"), "provider": F("event__providers")}

    def inner(group: bool) -> QuerySet:
        keys = {"u": F("need_id"), "s": F("need__submitted_at")}
        if group:
            keys["k"] = dims[by]  # type: ignore[index]
        return pairs.values(**keys).annotate(
            d=ExpressionWrapper(Min("event__starts_at") - F("s"), output_field=DurationField()))

    select = "AVG(t.d), COUNT(*)"
    rows = []
    if by in ("department", "category", "sector"):  # the need's own: one k per need, totals from the same rows
        (avg, n), grouped = _both(inner(True), select)
    else:
        avg, n = _aggregate(inner(False), select)[0]
        grouped = _aggregate(inner(True), select, grouped=True) if by else []
    for k, a, c in grouped:
        v = _days(a)
        rows.append((k, _round(v), _num(v * c if v is not None else None), _num(c)))
    value = _days(avg)
    return {"total": (_round(value), _num(value * n if value is not None else None), _num(n)), "rows": rows}


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def events_per_provider(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    events = _events_done(filters)
    select = "COUNT(*), COUNT(DISTINCT t.p)"
    num, den = _aggregate(events.values(u=F("pk"), p=F("providers")).distinct(), select, grouped=False)[0]
    rows = []
    if by:
        inner = events.values(u=F("pk"), p=F("providers"), k=_event_dims()[by]).distinct()
        rows = [(k, _ratio(n, d, 1), _num(n), _num(d)) for k, n, d in _aggregate(inner, select, grouped=True)]
    return {"total": (_ratio(num, den, 1), _num(num), _num(den)), "rows": rows}


def joint_missions(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    # The set of events with more than one provider, hashed once by the database.
    joint = (EventProvider.objects.order_by().values("event_id").annotate(c=Count("*"))
             .filter(c__gt=1).values("event_id"))  # type: ignore[misc]
    events = _events_done(filters).annotate(u=F("pk"), ok=_flag(Q(pk__in=joint)))
    return _unit_share(events, by, _event_dims(), ())


def _question_ids(memo: dict | None) -> dict[str, list[int]]:
    """role → ids of the follow-up questions with that role (one small query per call).

    The answers are then filtered by these ids as literals: the database's statistics of
    `question_id` then estimate the rows well and it joins by hashing (a subquery or a join on the
    role made it loop over an index 150,000 times: 1 s instead of 0.2 s).
    """
    def load() -> dict[str, list[int]]:
        ids: dict[str, list[int]] = {}
        for pk, role, capacity in Question.objects.filter(
                role__in=(*SCALE_ROLES, "capacity"), survey__mode="live").values_list("pk", "role", "capacity"):
            if role != "capacity" or capacity:
                ids.setdefault(role, []).append(pk)
        return ids

    return _memo(memo, ("questions",), load)


def _answers(filters: Filters, role: str | tuple[str, ...], memo: dict | None = None) -> QuerySet:
    roles = (role,) if isinstance(role, str) else role
    ids = [pk for r in roles for pk in _question_ids(memo).get(r, [])]
    return Answer.objects.filter(question_id__in=ids).filter(
        _event_side(filters, "submission__followup__event__"),
        _territory(filters, "submission__followup__municipality", "submission__followup__department"),
        number__gte=1, number__lte=5, submission__followup__isnull=False,
    ).order_by()


def _respondent_dims(prefix: str) -> dict[str, Any]:
    """Dimensions of something answered by a follow-up (`prefix` leads to the Invitation)."""
    return {
        "department": Coalesce(F(f"{prefix}municipality__department"), F(f"{prefix}department")),
        "category": F(f"{prefix}municipality__category"),
        "sector": F(f"{prefix}event__services__sectors"),
        "provider": F(f"{prefix}event__providers"),
    }


SCALE_ROLES = ("satisfaction", "pertinence")
MULTI_VALUED = ("sector", "provider")  # an answer's event may have several: rows repeat, so DISTINCT


def _scale_means(filters: Filters, by: str | None, memo: dict | None) -> dict[str, Result]:
    """Satisfaction and pertinence in one scan of the answers: role → result.

    By department or category (one per answer) the national figures are the sums of the groups;
    by sector or provider an answer may count in several groups, so the national figures take a
    scan of their own.
    """
    answers = _answers(filters, SCALE_ROLES, memo)
    select = "SUM(t.n), SUM(CASE WHEN t.n >= 4 THEN 1 ELSE 0 END), COUNT(*)"
    sums: dict[str, list] = {role: [0, 0, 0] for role in SCALE_ROLES}
    out: dict[str, Result] = {role: {"total": (None, 0.0, 0.0), "rows": []} for role in SCALE_ROLES}
    if by:
        inner = answers.values(u=F("pk"), n=F("number"), r=F("question__role"),
                               k=_respondent_dims("submission__followup__")[by])
        if by in MULTI_VALUED:
            inner = inner.distinct()
        for role, k, total, high, n in _aggregate(inner, select, group=("r", "k")):
            out[role]["rows"].append((k, _ratio(total, n, 1), _num(high), _num(n)))
            for i, value in enumerate((total, high, n)):
                sums[role][i] += value or 0
    if not by or by in MULTI_VALUED:
        sums = {role: [0, 0, 0] for role in SCALE_ROLES}
        for role, total, high, n in _aggregate(answers.values(u=F("pk"), n=F("number"), r=F("question__role")),
                                               select, group=("r",)):
            sums[role] = [total or 0, high or 0, n or 0]
    for role, (total, high, n) in sums.items():
        out[role]["total"] = (_ratio(total, n, 1), _num(high), _num(n))
    return out


def satisfaction(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    return _memo(memo, ("scale", by), lambda: _scale_means(filters, by, memo))["satisfaction"]


def pertinence(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    return _memo(memo, ("scale", by), lambda: _scale_means(filters, by, memo))["pertinence"]


def _memo(memo: dict | None, key: tuple, compute):
    """One computation shared by the indicators of one call (`memo` lives for that call only)."""
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def response_rate(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    invitations = Invitation.objects.filter(
        _event_side(filters, "event__"), _territory(filters, "municipality", "department"),
        sent_at__isnull=False,
    ).order_by().annotate(u=F("pk"), ok=_flag(Q(answered_at__isnull=False)))
    return _unit_share(invitations, by, _respondent_dims(""), ("department", "category"))


# Capacity pairs: the latest "after" and the first "before" of a (territory, capacity) are found with
# MAX/MIN over id * 8 + answer (answers are 1..5, ids grow with time), so one GROUP BY gives both.
PAIR_CODE = 8
PAIR_CHANGE = f"(t.last %% {PAIR_CODE}) - (t.first %% {PAIR_CODE})"  # %% : the SQL takes params


PAIR_COST_CHANGE = f"(t.last_c %% {PAIR_CODE}) - (t.first_c %% {PAIR_CODE})"
SINGLE_PER_PAIR = ("department", "category", CAPACITY_BREAKDOWN)  # one k per territory × capacity


def _capacity_pairs(filters: Filters, by: str | None, memo: dict | None, *, measured: bool = True) -> QuerySet:
    """One row per (territory, capacity[, k]) measured before and after: `first`/`last` over all the
    answers, `first_c`/`last_c` over those of realised events with a recorded cost (`measured=False`:
    also the rows measured only before or only after)."""
    answers = _answers(filters, "capacity", memo).filter(
        submission__followup__audience__in=(Audience.CAPACITY_BEFORE, Audience.CAPACITY_AFTER),
    )
    code = F("pk") * PAIR_CODE + F("number")
    after = Q(submission__followup__audience=Audience.CAPACITY_AFTER)
    before = Q(submission__followup__audience=Audience.CAPACITY_BEFORE)
    costed = Q(submission__followup__event__cost__isnull=False, submission__followup__event__status=EventStatus.DONE)
    keys: dict[str, Any] = {
        "u": Coalesce(F("submission__followup__municipality"), F("submission__followup__department")),
        "c": F("question__capacity"),
    }
    if by == CAPACITY_BREAKDOWN:
        keys["k"] = F("question__capacity")
    elif by:
        keys["k"] = _respondent_dims("submission__followup__")[by]
    pairs = answers.values(**keys).annotate(
        last=Max(Case(When(after, then=code))), first=Min(Case(When(before, then=code))),
        last_c=Max(Case(When(after & costed, then=code))), first_c=Min(Case(When(before & costed, then=code))),
    )
    return pairs.filter(last__isnull=False, first__isnull=False) if measured else pairs


def _capacity_pairs_with_k(filters: Filters, by: str, memo: dict | None) -> tuple[str, tuple]:
    """The measured pairs (territory, capacity) with their k attached after grouping, when k is a
    function of the pair (department, category, capacity): the same rows as grouping by (u, c, k),
    but the scan groups by two columns only (half the sort, and a closer estimate of the groups).

    k from u: a municipality's department or category; a department's own code (its code never
    matches a municipality's, so its category is NULL), as the joins of the grouped scan give them.
    """
    sql, params = _capacity_pairs(filters, None, memo).query.sql_with_params()
    sql = _direct_followup_join(sql)
    m = Municipality._meta
    columns = {f.name: f'm."{f.column}"' for f in m.concrete_fields}
    code, dept, cat = columns["code"], columns["department"], columns["category"]
    k = {"department": f'COALESCE({dept}, p."u")', "category": cat, CAPACITY_BREAKDOWN: 'p."c"'}[by]
    return (f'SELECT p.*, {k} AS "k" FROM ({sql}) p '  # noqa: S608 (values are params)
            f'LEFT OUTER JOIN "{m.db_table}" m ON {code} = p."u"', params)


CAPACITY_SELECT = (f"SUM({PAIR_CHANGE}), COUNT(*), "
                   f"SUM(CASE WHEN t.last_c IS NOT NULL AND t.first_c IS NOT NULL THEN {PAIR_COST_CHANGE} END)")


def _capacity_stats(filters: Filters, by: str | None, memo: dict | None) -> Result:
    """Sum and number of the changes, and the points gained in costed events: national and by k,
    from one scan when each pair has one k (department, category, capacity)."""
    def compute() -> Result:
        if by in SINGLE_PER_PAIR:
            total, rows = _both(_capacity_pairs_with_k(filters, by, memo), CAPACITY_SELECT)
            return {"total": total, "rows": rows}
        if by:  # sector, provider: a pair may count under several k
            return _capacity_stats_multi(_capacity_pairs(filters, by, memo, measured=False))
        return {"total": _aggregate(_capacity_pairs(filters, None, memo), CAPACITY_SELECT)[0], "rows": []}

    return _memo(memo, ("capacity", by), compute)


def _capacity_stats_multi(pairs: QuerySet) -> Result:
    """National and by-k capacity stats from one scan when a pair may have several k.

    `pairs` has a row per (u, c, k) with no "measured" filter. Each answer counts under every k of
    its event (or under NULL), so the national first/last of a pair (u, c) are the MIN/MAX over its
    k rows: regrouping them by (u, c) gives the same pairs as a scan without k. The by-k rows keep
    the pairs measured before and after within k, as a scan grouped by k does.
    """
    sql, params = pairs.query.sql_with_params()
    sql = _direct_followup_join(sql)
    query = (
        f"WITH p AS ({sql}) "  # noqa: S608 (values are params)
        f"SELECT 0, t.k, {CAPACITY_SELECT} FROM p t WHERE t.last IS NOT NULL AND t.first IS NOT NULL GROUP BY t.k "
        f"UNION ALL SELECT 1, NULL, {CAPACITY_SELECT} FROM (SELECT p.u, p.c, MAX(p.last) AS last, "
        "MIN(p.first) AS first, MAX(p.last_c) AS last_c, MIN(p.first_c) AS first_c FROM p GROUP BY p.u, p.c "
        "HAVING MAX(p.last) IS NOT NULL AND MIN(p.first) IS NOT NULL) t"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    total = next(row[2:] for row in rows if row[0] == 1)
    return {"total": total, "rows": [row[1:] for row in rows if row[0] == 0]}


def capacity_change(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    stats = _capacity_stats(filters, by, memo)
    total, n, _points = stats["total"]
    return {"total": (_ratio(total, n, 1), _num(total), _num(n)),
            "rows": [(k, _ratio(s, c, 1), _num(s), _num(c)) for k, s, c, _p in stats["rows"]]}


def _planned_events(filters: Filters) -> QuerySet:
    """Events that were on a published agenda when it was published."""
    qs = Event.objects.filter(
        period__status=AgendaPeriod.Status.PUBLISHED, period__published_at__isnull=False,
        created_at__lte=F("period__published_at"), recorded_after_the_fact=False,
    ).filter(_event_side(filters, window=filters.period is None)).filter(_event_territory(filters)).order_by()
    if filters.period:
        qs = qs.filter(period=filters.period)
    return qs


def plan_vs_delivered_events(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    events = _planned_events(filters).annotate(u=F("pk"), ok=_flag(Q(status=EventStatus.DONE)))
    return _unit_share(events, by, _event_dims(), ())


def plan_vs_delivered_needs(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    rows = EventNeed.objects.filter(event_id__in=_planned_events(filters).values("pk")).order_by().annotate(
        u=F("need_id"), ok=_flag(Q(need__status__in=ATTENDED)))
    dims = {"department": F("need__department"), "category": F("need__municipality__category"),
            "sector": F("need__sector"), "provider": F("event__providers")}
    inner_by = rows.values("u", "ok", k=dims[by]) if by else None  # type: ignore[misc]
    return _share(inner_by, rows.values("u", "ok"), by, SHARE)  # type: ignore[misc]


def _merge(costs: list[tuple], counts: list[tuple]) -> list[tuple]:
    """Join two GROUP BY k results (a few dozen groups) into (k, cost per unit, cost, units)."""
    units = {k: n for k, n in counts}
    return [(k, _ratio(cost, units.get(k), 1), _num(cost), _num(units.get(k))) for k, cost in costs]


def cost_per_territory(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    events = _events_done(filters).filter(cost__isnull=False)
    dims = _event_dims()
    served = Coalesce(F("municipalities"), F("departments"))
    cost, = _aggregate(events.values(u=F("pk"), x=F("cost")).distinct(), "SUM(t.x)", grouped=False)[0]
    units, = _aggregate(events.values(u=served).distinct(), "COUNT(DISTINCT t.u)", grouped=False)[0]
    rows = []
    if by:
        costs = _aggregate(events.values(u=F("pk"), x=F("cost"), k=dims[by]).distinct(), "SUM(t.x)", grouped=True)
        counts = _aggregate(events.values(u=served, k=dims[by]).distinct(), "COUNT(DISTINCT t.u)", grouped=True)
        rows = _merge(costs, counts)
    return {"total": (_ratio(cost, units, 1), _num(cost), _num(units)), "rows": rows}


def cost_per_capacity_point(filters: Filters, by: str | None, memo: dict | None = None) -> Result:
    measured = Invitation.objects.filter(audience=Audience.CAPACITY_AFTER, submission__isnull=False)
    events = _events_done(filters).filter(cost__isnull=False, pk__in=measured.values("event_id"))
    # Respondent dimensions for the points, the events' own for their cost (provider and sector agree).
    cost, = _aggregate(events.values(u=F("pk"), x=F("cost")).distinct(), "SUM(t.x)")[0]
    stats = _capacity_stats(filters, by, memo)
    points = stats["total"][2]
    rows = []
    if by:
        costs = _aggregate(events.values(u=F("pk"), x=F("cost"), k=_event_dims()[by]).distinct(), "SUM(t.x)",
                           grouped=True)
        gains = [(k, p) for k, _s, _c, p in stats["rows"]]
        rows = [(k, v if (p or 0) > 0 else None, c, p) for k, v, c, p in _merge(costs, gains)]
    value = _ratio(cost, points, 1) if (points or 0) > 0 else None
    return {"total": (value, _num(cost), _num(points)), "rows": rows}


COMPUTE: dict[str, Any] = {
    "coverage": coverage, "needs_answered": needs_answered, "days_to_event": days_to_event,
    "events_per_provider": events_per_provider, "joint_missions": joint_missions,
    "satisfaction": satisfaction, "pertinence": pertinence, "response_rate": response_rate,
    "capacity_change": capacity_change, "plan_vs_delivered_events": plan_vs_delivered_events,
    "plan_vs_delivered_needs": plan_vs_delivered_needs, "cost_per_territory": cost_per_territory,
    "cost_per_capacity_point": cost_per_capacity_point,
}


# --- Labels of the breakdown keys (one query per kind of key) -----------------------------------

def _labels(by: str, keys: set) -> dict:
    from apps.accounts.models import Organization
    from apps.territory.models import Department, Sector

    keys = {k for k in keys if k is not None}
    if by == "department":
        return dict(Department.objects.filter(code__in=keys).values_list("code", "display_name"))
    if by == "sector":
        return dict(Sector.objects.filter(slug__in=keys).values_list("slug", "name"))
    if by == "provider":
        return dict(Organization.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "category":
        return {k: str(label) for k, label in MunicipalCategory.choices}
    if by == CAPACITY_BREAKDOWN:
        return {k: str(label) for k, label in Capacity.choices}
    return {}


def _label(by: str, key: Any, labels: dict) -> str:
    if key is None or key == "":
        return _missing_label(by)
    return str(labels.get(key) or key)


def _missing_label(by: str) -> str:
    return {
        "department": _("Sin departamento"), "category": _("Sin categoría registrada"),
        "sector": _("Sin sector"), "provider": _("Sin entidad"), CAPACITY_BREAKDOWN: _("Sin capacidad"),
    }.get(by, _("Sin dato"))


# --- The public entry points -----------------------------------------------------------------------

def indicators_compute(*, user, filters: Filters, by: str | None = "department",
                       codes: list[str] | None = None) -> list[Indicator]:
    """Every indicator (or `codes`) for `filters`, with its breakdown `by` (None: no breakdown).

    Anyone may read them: they are aggregates with no personal data (the breakdown by provider
    names organisations, which are public). `by="capacity"` is only meaningful for
    capacity_change; the others get no breakdown then. A frozen period asked with no other filter
    answers its stored figures.
    """
    codes = [c for c in (codes or CODES) if c in COMPUTE]
    if by is not None and by not in BREAKDOWNS and by != CAPACITY_BREAKDOWN:
        raise ValueError(f"unknown breakdown {by!r}")
    if filters.only_period():
        frozen = frozen_indicators(period=filters.period, by=by, codes=codes)  # type: ignore[arg-type]
        if frozen is not None:
            return frozen
    return _cached(filters=filters, by=by, codes=codes)


# --- Cache: figures kept until anything they read is written -----------------------------------------

VERSION_SEQUENCE = "monitoring_indicators_version"  # moved by triggers (migrations/0003)
# The database's oid (a recreated or restored database starts the sequence again: its old cached
# figures must not be read), the sequence, and "quiet": no other session of this database is
# inside a writing transaction (one with an xid).
VERSION_SQL = ("SELECT (SELECT oid FROM pg_database WHERE datname = current_database()), last_value, "
               "NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
               "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()) FROM monitoring_indicators_version")


def _data_version() -> tuple[str, bool] | None:
    """The sequence's value (a statement writing any table the indicators read moves it), and
    whether no other transaction is writing right now (then figures computed now may be stored)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(VERSION_SQL)
            database, version, quiet = cursor.fetchone()
            return f"{database}.{version}", bool(quiet)
    except DatabaseError:
        return None


def _cache_key(version: str, filters: Filters, by: str | None, codes: list[str]) -> str:
    facts = (version, filters.period.pk if filters.period else None, filters.starts_on, filters.ends_on,
             filters.department, filters.sector, filters.provider, filters.category, filters.municipality,
             filters.organization, by, tuple(codes), get_language())
    return "monitoring:indicators:" + hashlib.sha256(repr(facts).encode()).hexdigest()


def _cached(*, filters: Filters, by: str | None, codes: list[str]) -> list[Indicator]:
    """The figures from the cache when nothing they read has been written since (PostgreSQL).

    The key holds the data version: a sequence that a trigger moves on each statement writing a
    table the indicators read, so an edit makes the next reading compute again. The sequence
    moves before the writer commits, so figures are stored only when no other transaction is in
    progress (a reading in between would store the old figures under the new version); such a
    reading just computes. Never inside a transaction (tests roll theirs back, and the version
    with them), nor on SQLite, nor with MONITORING_INDICATORS_CACHE_SECONDS at 0.
    """
    seconds = getattr(settings, "MONITORING_INDICATORS_CACHE_SECONDS", 600)
    if seconds <= 0 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return _compute(filters=filters, by=by, codes=codes)
    state = _data_version()
    if state is None:
        return _compute(filters=filters, by=by, codes=codes)
    version, quiet = state
    key = _cache_key(version, filters, by, codes)
    stored = cache.get(key)
    if stored is not None:
        return [Indicator.from_dict(item) for item in stored]
    indicators = _compute(filters=filters, by=by, codes=codes)
    if quiet:
        cache.set(key, [i.as_dict() for i in indicators], seconds)
    return indicators


def _compute(*, filters: Filters, by: str | None, codes: list[str]) -> list[Indicator]:
    defs = definitions()
    results = {}
    memo: dict = {}
    for code in codes:
        own_by = by
        if by == CAPACITY_BREAKDOWN and code != "capacity_change":
            own_by = None
        compute = COMPUTE[code]
        results[code] = (own_by, compute(filters, own_by, memo))
    labels = _labels(by, {k for _b, r in results.values() for k, *_rest in r["rows"]}) if by else {}
    baselines = baseline_2021(filters=filters)
    out = []
    for code in codes:
        own_by, result = results[code]
        value, num, den = result["total"]
        rows = sorted(
            ({"key": "" if k is None else str(k), "label": _label(own_by or "", k, labels),
              "value": v, "numerator": n, "denominator": d} for k, v, n, d in result["rows"]),
            key=lambda row: (row["key"] == "", row["label"]))
        out.append(Indicator(code=code, name=defs[code]["name"], formula=defs[code]["formula"],
                             unit=defs[code]["unit"], value=value, numerator=num, denominator=den,
                             breakdown=rows, by=own_by, baseline_2021=baselines.get(code)))
    return out


# --- 2021 baseline ----------------------------------------------------------------------------------

# The 2021 municipal questions that measured the same thing, found by their role (a question's
# `role` holds space-separated words; apps/surveys/migrations/0006 sets these two).
BASELINE_QUESTIONS = {
    # role: (the answer counted, indicators it sits beside, label)
    "received_national_att": ("Sí", ("coverage",),
                              "Municipios que recibieron asistencia técnica del nivel nacional en 2021"),
    "measured_changes": ("Sí", ("response_rate", "capacity_change"),
                         "Municipios que midieron los cambios de la asistencia técnica en 2021"),
}
BASELINE_SURVEY = "municipios-2021"


def _has_role(role: str, prefix: str = "question__") -> Q:
    field = f"{prefix}role"
    return (Q(**{field: role}) | Q(**{f"{field}__startswith": f"{role} "}) | Q(**{f"{field}__endswith": f" {role}"})
            | Q(**{f"{field}__contains": f" {role} "}))


def baseline_2021(*, filters: Filters) -> dict[str, dict]:
    """code → {"value": %, "numerator", "denominator", "label", "source"} from the imported 2021
    municipal answers (latest submission per municipality), in one query; {} if not imported."""
    answers = Answer.objects.filter(
        is_latest=True, position=0, submission__batch__isnull=False, submission__survey__slug=BASELINE_SURVEY,
    )
    if filters.department:
        answers = answers.filter(submission__department=filters.department)
    if filters.category:
        answers = answers.filter(submission__municipality__category=filters.category)
    if filters.municipality:
        answers = answers.filter(submission__municipality=filters.municipality)
    aggregates = {}
    for role, (option, _codes, _label) in BASELINE_QUESTIONS.items():
        aggregates[f"{role}_n"] = Count("submission", distinct=True, filter=_has_role(role))
        aggregates[f"{role}_yes"] = Count("submission", distinct=True, filter=_has_role(role) & Q(option__text=option))
    any_role = Q()
    for role in BASELINE_QUESTIONS:
        any_role |= _has_role(role)
    counts = answers.filter(any_role).aggregate(**aggregates)
    out = {}
    for role, (_option, codes, label) in BASELINE_QUESTIONS.items():
        n, yes = counts[f"{role}_n"], counts[f"{role}_yes"]
        if not n:
            continue
        item = {"value": _ratio(yes, n), "numerator": yes, "denominator": n, "unit": "%", "label": _(label),
                "source": _("Encuesta a municipios 2021 (PATT), %(n)s municipios") % {"n": n}}
        for code in codes:
            out[code] = item
    return out


# --- Frozen periods ---------------------------------------------------------------------------------

FROZEN_BYS = (None, *BREAKDOWNS, CAPACITY_BREAKDOWN)


def period_payload(*, period: AgendaPeriod) -> dict:
    """All indicators of the period with every breakdown, as stored in FrozenPeriod.figures."""
    filters = Filters(period=period)
    return {
        "version": 1,
        "by": {str(by): [i.as_dict() for i in _compute(filters=filters, by=by, codes=list(CODES))]
               for by in FROZEN_BYS},
    }


def frozen_indicators(*, period: AgendaPeriod, by: str | None, codes: list[str]) -> list[Indicator] | None:
    frozen = FrozenPeriod.objects.filter(period=period).first()
    if frozen is None:
        return None
    stored = {item["code"]: item for item in frozen.figures.get("by", {}).get(str(by), [])}
    out = []
    for code in codes:
        if code in stored:
            indicator = Indicator.from_dict(stored[code])
            indicator.frozen, indicator.frozen_at = True, frozen.closed_at
            out.append(indicator)
    return out


# --- A municipality's capacities over time ------------------------------------------------------

def capacity_by_time(*, user, municipality) -> list[dict]:
    """A municipality's capacity self-assessments by capacity and month: mean before / after.

    Aggregates only (no respondent), so a page may show it to whoever may see the municipality's
    results; one query. Returns [{"capacity", "label", "month", "audience", "mean", "answers"}] in
    order, plus nothing else: the change per capacity is `capacity_change` with the municipality filter.
    """
    qs = (Answer.objects.filter(
        question__role="capacity", number__gte=1, number__lte=5, submission__followup__municipality=municipality,
        submission__followup__audience__in=(Audience.CAPACITY_BEFORE, Audience.CAPACITY_AFTER),
    ).exclude(question__capacity="").order_by()
        .values(capacity=F("question__capacity"), audience=F("submission__followup__audience"),
                month=TruncMonth("submission__finished_at"))
        .annotate(mean=Avg("number"), answers=Count("id"))
        .order_by("capacity", "month", "audience"))
    labels = dict(Capacity.choices)
    return [{**row, "label": str(labels.get(row["capacity"], row["capacity"])),
             "mean": _round(_num(row["mean"]))} for row in qs]
