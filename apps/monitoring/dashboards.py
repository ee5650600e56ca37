"""What the dashboards, the panels and the exports show of the indicators, and to whom.

The figures come from `apps.monitoring.indicators.indicators_compute` (scoped by the acting user);
this module turns them into cards, breakdown tables, export rows and open-data rows.

Disclosure rule (small numbers identify people): figures read from follow-up answers
(`ANSWER_CODES`) computed over fewer than `MIN_PUBLIC_ANSWERS` answers are withheld from anyone
who is not a coordinator or one of the territory's or entity's own people: the value, numerator
and denominator are blanked and the card says why. In a breakdown, when the withheld rows together
rest on fewer than `MIN_PUBLIC_ANSWERS` answers, the smallest published rows are withheld too (or
the total minus the others would give them away: `withheld_rows`). Counts of events and needs are
never withheld. The API applies the same rule (`disclose`).
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.monitoring.charts import bar_chart, number_text, value_text

CODES = ["coverage", "needs_answered", "days_to_event", "events_per_provider", "joint_missions", "satisfaction",
         "pertinence", "response_rate", "capacity_change", "plan_vs_delivered_events", "plan_vs_delivered_needs",
         "cost_per_territory", "cost_per_capacity_point"]
ANSWER_CODES = frozenset({"satisfaction", "pertinence", "response_rate", "capacity_change",
                          "cost_per_capacity_point"})
MIN_PUBLIC_ANSWERS = 5
SIGNED_CODES = frozenset({"capacity_change"})  # a change: "+2 puntos"
BY_LABELS = {"department": gettext_lazy("Departamento"), "category": gettext_lazy("Categoría municipal"),
             "sector": gettext_lazy("Sector"), "provider": gettext_lazy("Entidad que presta"),
             "capacity": gettext_lazy("Capacidad")}
# The open data names the breakdowns in plain ASCII words that never change.
OPEN_BY = {None: "nacional", "department": "departamento", "category": "categoria", "sector": "sector",
           "provider": "entidad", "capacity": "capacidad"}


def engine():
    """The indicators module (imported on use: the dashboards load even while it is being built)."""
    from apps.monitoring import indicators

    return indicators


def compute(*, user, values: dict, by: str | None = "department", codes: list[str] | None = None) -> list:
    module = engine()
    return module.indicators_compute(user=user, filters=module.Filters(**values), by=by, codes=codes)


def public_compute(*, values: dict, by: str | None = "department", codes: list[str] | None = None) -> list:
    """The figures as an anonymous visitor gets them (the public summary and the open data)."""
    return compute(user=AnonymousUser(), values=values, by=by, codes=codes)


def _withheld(code: str, denominator: float | None) -> bool:
    return code in ANSWER_CODES and (denominator or 0) < MIN_PUBLIC_ANSWERS


def withheld_rows(code: str, breakdown: list[dict]) -> set[int]:
    """The breakdown rows (indexes) withheld from the public: those resting on fewer than
    MIN_PUBLIC_ANSWERS answers and, when those together rest on fewer (one answer in Cundinamarca
    would be the published total minus the published Antioquia), the smallest published rows too,
    until the withheld ones together rest on MIN_PUBLIC_ANSWERS or more."""
    if code not in ANSWER_CODES:
        return set()

    def size(index: int) -> float:
        return breakdown[index].get("denominator") or 0

    hidden = {i for i in range(len(breakdown)) if _withheld(code, breakdown[i].get("denominator"))}
    total = sum(size(i) for i in hidden)
    for index in sorted(set(range(len(breakdown))) - hidden, key=size):
        if not 0 < total < MIN_PUBLIC_ANSWERS:
            break
        hidden.add(index)
        total += size(index)
    return hidden


def disclose(indicator: Any, *, full: bool, no_answers: bool = False) -> Any:
    """The indicator as the API gives it: a copy with the disclosure rule of the pages applied
    (`full=False`): withheld figures are blanked and flagged `withheld`. Coordinators get it whole.
    `no_answers`: withhold every figure read from follow-up answers (a municipality's, as its public
    panel does: its few respondents would be identifiable)."""
    if full:
        return indicator
    hide_all = no_answers and indicator.code in ANSWER_CODES
    breakdown = []
    rows = indicator.breakdown or []
    withheld = set(range(len(rows))) if hide_all else withheld_rows(indicator.code, rows)
    for index, item in enumerate(rows):
        hidden = index in withheld
        blank = {"value": None, "numerator": None, "denominator": None} if hidden else {}
        breakdown.append({**item, **blank, "withheld": hidden})
    out = replace(indicator, breakdown=breakdown)
    if hide_all or _withheld(indicator.code, indicator.denominator):
        out = replace(out, value=None, numerator=None, denominator=None)
        out.withheld = True
    return out


def frozen_text(frozen_at: datetime | None) -> str:
    if frozen_at is None:
        return _("Cifras congeladas.")
    when = date_format(timezone.localtime(frozen_at), "j \\d\\e F \\d\\e Y, H:i")
    return _("Cifras congeladas el %(date)s.") % {"date": when}


# What each indicator's numerator and denominator count, in plain words (the pages say these
# instead of «Numerador» / «Denominador»); an indicator not listed reads «Casos» / «De un total de».
COUNT_LABELS: dict[str, tuple[Any, Any]] = {
    "coverage": (gettext_lazy("Territorios atendidos"), gettext_lazy("De territorios con solicitudes")),
    "needs_answered": (gettext_lazy("Solicitudes atendidas"), gettext_lazy("De solicitudes radicadas")),
    "days_to_event": (gettext_lazy("Días sumados"), gettext_lazy("Solicitudes medidas")),
    "events_per_provider": (gettext_lazy("Jornadas de las entidades"), gettext_lazy("Entidades")),
    "joint_missions": (gettext_lazy("Misiones conjuntas"), gettext_lazy("De jornadas realizadas")),
    "satisfaction": (gettext_lazy("Respuestas 4 o 5"), gettext_lazy("De respuestas")),
    "pertinence": (gettext_lazy("Respuestas 4 o 5"), gettext_lazy("De respuestas")),
    "response_rate": (gettext_lazy("Seguimientos respondidos"), gettext_lazy("De seguimientos enviados")),
    "capacity_change": (gettext_lazy("Suma de los cambios"), gettext_lazy("Pares medidos")),
    "plan_vs_delivered_events": (gettext_lazy("Jornadas realizadas"), gettext_lazy("De jornadas en la agenda")),
    "plan_vs_delivered_needs": (gettext_lazy("Solicitudes atendidas"), gettext_lazy("De solicitudes programadas")),
    "cost_per_territory": (gettext_lazy("Costo total"), gettext_lazy("Territorios atendidos")),
    "cost_per_capacity_point": (gettext_lazy("Costo total"), gettext_lazy("Puntos ganados")),
}


def count_labels(code: str) -> tuple[str, str]:
    numerator, denominator = COUNT_LABELS.get(code, (gettext_lazy("Casos"), gettext_lazy("De un total de")))
    return str(numerator), str(denominator)


@dataclass
class Row:
    key: str
    label: str
    value: float | None
    numerator: float | None
    denominator: float | None
    withheld: bool = False
    text: str = ""

    @property
    def numerator_text(self) -> str:
        return number_text(self.numerator)

    @property
    def denominator_text(self) -> str:
        return number_text(self.denominator)


@dataclass
class Card:
    code: str
    name: str
    formula: str
    unit: str
    value: float | None
    numerator: float | None
    denominator: float | None
    by: str | None
    rows: list[Row] = field(default_factory=list)
    frozen: bool = False
    frozen_at: datetime | None = None
    baseline: dict | None = None
    withheld: bool = False

    @property
    def min_answers(self) -> int:
        return MIN_PUBLIC_ANSWERS

    @property
    def signed(self) -> bool:
        return self.code in SIGNED_CODES

    @property
    def value_text(self) -> str:
        if self.withheld:
            return _("no se publica")
        return value_text(self.value, self.unit, signed=self.signed)

    def chart(self, chart_id: str) -> dict:
        return bar_chart([{"label": r.label, "value": r.value} for r in self.rows], title=self.name, unit=self.unit,
                         chart_id=chart_id, signed=self.signed)

    @property
    def numerator_text(self) -> str:
        return number_text(self.numerator)

    @property
    def denominator_text(self) -> str:
        return number_text(self.denominator)

    @property
    def numerator_label(self) -> str:
        return count_labels(self.code)[0]

    @property
    def denominator_label(self) -> str:
        return count_labels(self.code)[1]

    @property
    def baseline_text(self) -> str:
        if not self.baseline or self.baseline.get("value") is None:
            return ""
        return value_text(float(self.baseline["value"]), self.unit, signed=self.signed)

    @property
    def frozen_text(self) -> str:
        return frozen_text(self.frozen_at) if self.frozen else ""

    @property
    def by_label(self) -> str:
        return str(BY_LABELS.get(self.by or "", ""))

    @property
    def url(self) -> str:
        return reverse("monitoring:indicator", args=[self.code])


def card(indicator: Any, *, full: bool) -> Card:
    """A computed indicator as shown; `full=False` applies the disclosure rule."""
    hide = not full and _withheld(indicator.code, indicator.denominator)
    rows = []
    withheld = set() if full else withheld_rows(indicator.code, indicator.breakdown or [])
    for index, item in enumerate(indicator.breakdown or []):
        hide_row = index in withheld
        rows.append(Row(key=str(item.get("key", "")), label=str(item.get("label", "")),
                        value=None if hide_row else item.get("value"),
                        numerator=None if hide_row else item.get("numerator"),
                        denominator=None if hide_row else item.get("denominator"), withheld=hide_row,
                        text=value_text(None if hide_row else item.get("value"), indicator.unit,
                                        signed=indicator.code in SIGNED_CODES)))
    return Card(
        code=indicator.code, name=str(indicator.name), formula=str(indicator.formula), unit=indicator.unit,
        value=None if hide else indicator.value, numerator=None if hide else indicator.numerator,
        denominator=None if hide else indicator.denominator, by=indicator.by, rows=rows,
        frozen=bool(getattr(indicator, "frozen", False)), frozen_at=getattr(indicator, "frozen_at", None),
        baseline=getattr(indicator, "baseline_2021", None), withheld=hide,
    )


def cards(indicators: list, *, full: bool) -> list[Card]:
    return [card(indicator, full=full) for indicator in indicators]


# --- Exports ---------------------------------------------------------------------------------

def headline_columns() -> list[str]:
    return [_("Código"), _("Indicador"), _("Valor"), _("Unidad"), _("Casos"), _("De un total de"),
            _("Línea base 2021"), _("Línea base 2021: qué mide"), _("Cifras congeladas el"), _("Fórmula")]


def headline_rows(items: list[Card]) -> list[list]:
    return [[c.code, c.name, c.value, c.unit, count(c.numerator), count(c.denominator),
             (c.baseline or {}).get("value"), _baseline_label(c.baseline), c.frozen_at if c.frozen else None,
             c.formula] for c in items]


def breakdown_columns() -> list[str]:
    return [_("Código"), _("Indicador"), _("Desagregación"), _("Clave"), _("Nombre"), _("Valor"), _("Unidad"),
            _("Casos"), _("De un total de")]


def breakdown_rows(item: Card) -> list[list]:
    return [[item.code, item.name, item.by_label, row.key, row.label, row.value, item.unit, count(row.numerator),
             count(row.denominator)] for row in item.rows]


def count(value: float | None) -> float | int | None:
    """A numerator or denominator as exported: 12, not 12,0, when it is a whole number."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _baseline_label(baseline: dict | None) -> str:
    if not baseline:
        return ""
    return " · ".join(str(part) for part in (baseline.get("label"), baseline.get("source")) if part)


# --- Open data -------------------------------------------------------------------------------

# (column, type, meaning): the order never changes; new columns are only ever added at the end.
OPEN_DATA_COLUMNS: list[tuple[str, Any, Any]] = [
    ("periodo", gettext_lazy("texto"),
     gettext_lazy("Nombre del periodo de la agenda (por ejemplo 2027-T1); vacío: todo el tiempo.")),
    ("periodo_desde", gettext_lazy("fecha (AAAA-MM-DD)"), gettext_lazy("Primer día del periodo; vacío si no hay.")),
    ("periodo_hasta", gettext_lazy("fecha (AAAA-MM-DD)"), gettext_lazy("Último día del periodo; vacío si no hay.")),
    ("codigo", gettext_lazy("texto"), gettext_lazy("Código estable del indicador (por ejemplo coverage).")),
    ("indicador", gettext_lazy("texto"), gettext_lazy("Nombre del indicador.")),
    ("unidad", gettext_lazy("texto"), gettext_lazy("Unidad del valor: %, días, jornadas, puntos o COP (pesos).")),
    ("desagregacion", gettext_lazy("texto"),
     gettext_lazy("nacional (la cifra total) o la desagregación de la fila: departamento, categoria, sector, "
                  "entidad o capacidad.")),
    ("clave", gettext_lazy("texto"),
     gettext_lazy("Código del grupo: DIVIPOLA del departamento, categoría municipal (especial, 1 a 6), "
                  "identificador del sector, número de la entidad o código de la capacidad; vacío en la fila "
                  "nacional.")),
    ("nombre", gettext_lazy("texto"), gettext_lazy("Nombre del grupo (vacío en la fila nacional).")),
    ("valor", gettext_lazy("número decimal (coma decimal)"),
     gettext_lazy("Valor del indicador; vacío si no hay datos o si se calculó con menos de 5 respuestas.")),
    ("numerador", gettext_lazy("número decimal (coma decimal)"), gettext_lazy("Numerador de la fórmula.")),
    ("denominador", gettext_lazy("número decimal (coma decimal)"), gettext_lazy("Denominador de la fórmula.")),
    ("cifras_congeladas", gettext_lazy("sí / no"),
     gettext_lazy("sí: el periodo se cerró y sus cifras no cambian con ediciones posteriores.")),
    ("congeladas_el", gettext_lazy("fecha y hora (AAAA-MM-DD HH:MM, hora de Colombia)"),
     gettext_lazy("Cuándo se cerraron las cifras del periodo.")),
    ("linea_base_2021", gettext_lazy("número decimal (coma decimal)"),
     gettext_lazy("La cifra comparable de la encuesta de 2021, si existe.")),
    ("linea_base_2021_descripcion", gettext_lazy("texto"),
     gettext_lazy("Qué midió la encuesta de 2021 y su fuente.")),
    ("formula", gettext_lazy("texto"), gettext_lazy("Cómo se calcula el indicador.")),
]
OPEN_DATA_BYS = ("department", "category", "sector", "provider")


def open_data_columns() -> list[str]:
    return [name for name, _type, _meaning in OPEN_DATA_COLUMNS]


def open_data_rows(period) -> list[list]:
    """Every public indicator for the period (None: all time): the national figure, then each
    breakdown (department, category, sector, provider; capacity for the capacity change)."""
    values = {"period": period} if period is not None else {}
    head = [period.name if period else "", period.starts_on if period else None, period.ends_on if period else None]
    rows: list[list] = []
    passes: list[tuple[str, list[str] | None]] = [(by, None) for by in OPEN_DATA_BYS]
    passes.append(("capacity", ["capacity_change"]))
    for index, (by, codes) in enumerate(passes):
        for item in cards(public_compute(values=values, by=by, codes=codes), full=False):
            frozen = [item.frozen, item.frozen_at if item.frozen else None]
            if index == 0:  # the national figure, with the 2021 baseline (a national figure too)
                rows.append([*head, item.code, item.name, item.unit, OPEN_BY[None], "", "", item.value,
                             count(item.numerator), count(item.denominator), *frozen,
                             (item.baseline or {}).get("value"), _baseline_label(item.baseline), item.formula])
            rows.extend([*head, item.code, item.name, item.unit, OPEN_BY[by], row.key, row.label, row.value,
                         count(row.numerator), count(row.denominator), *frozen, None, "", item.formula]
                        for row in item.rows)
    order = {code: n for n, code in enumerate(CODES)}
    return sorted(rows, key=lambda row: order.get(row[3], len(order)))  # stable: breakdowns keep their order
