"""Server-side SVG bar charts for the dashboards: no JavaScript, no chart library.

A chart is a context dict for `monitoring/_dashboard_chart.html`: one row per bar with its label
on a line of its own above the bar (long department names fit a phone), the value written at the
bar's end, and negative values (a capacity that fell) drawn left of a zero line. The page always
puts the same numbers in a table beside it; the SVG carries a <title> and a <desc> for screen
readers.
"""

from django.utils.translation import gettext as _

WIDTH = 360.0
ROW = 38.0  # label line (14) + bar (12) + value + gap
BAR = 12.0
LABEL_CHARS = 48
VALUE_ROOM = 72.0  # room for the value written after a bar's end
MAX_ROWS = 40
SINGULAR = {"jornadas": "jornada", "días": "día", "puntos": "punto"}


def number_text(value: float | None, *, decimals: int = 1) -> str:
    """A number as Colombians write it: dot for thousands, comma for decimals ("1.234,5")."""
    if value is None:
        return _("sin datos")
    text = f"{value:,.{decimals}f}" if decimals else f"{round(value):,}"
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    if decimals:  # 4,20 → 4,2 and 50,0 → 50
        text = text.rstrip("0").rstrip(",")
    return text


def value_text(value: float | None, unit: str, *, signed: bool = False) -> str:
    """A figure with its unit: "87,5 %", "12 días", "4,2 puntos", "$ 1.250.000"; `signed` writes
    the plus of a gain ("+0,8 puntos")."""
    if value is None:
        return _("sin datos")
    if unit == "COP":
        return "$ " + number_text(value, decimals=0)
    if unit == "%":
        return number_text(value) + " %"
    sign = "+" if signed and value > 0 else ""
    number = number_text(value, decimals=2 if unit == "puntos" else 1)
    if number.lstrip("-") == "1" and unit in SINGULAR:
        unit = SINGULAR[unit]
    return sign + number + (" " + unit if unit else "")


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(rows: list[dict], *, title: str, unit: str, chart_id: str, signed: bool = False) -> dict:
    """Context for the chart template from breakdown rows ({"label", "value"}), largest first.

    Rows without a value are left out of the drawing (the table still lists them); at most
    MAX_ROWS bars are drawn and `truncated` says how many were left for the table only.
    """
    valued = sorted((r for r in rows if r.get("value") is not None), key=lambda r: -float(r["value"]))
    shown = valued[:MAX_ROWS]
    values = [float(r["value"]) for r in shown]
    low, high = min([0.0, *values]), max([0.0, *values])
    left = VALUE_ROOM if low < 0 else 0.0
    right = VALUE_ROOM if high > 0 or low == high else 0.0
    span = (high - low) or 1.0
    plot = WIDTH - left - right
    zero = left + plot * (0 - low) / span
    bars = []
    for index, (row, value) in enumerate(zip(shown, values, strict=True)):
        top = index * ROW
        end = left + plot * (value - low) / span
        x, width = (zero, end - zero) if value >= 0 else (end, zero - end)
        text = value_text(value, unit, signed=signed)
        bars.append({
            "label": _short(row["label"]), "full_label": str(row["label"]), "text": text,
            "label_y": round(top + 14, 1), "bar_y": round(top + 19, 1), "text_y": round(top + 30, 1),
            "x": round(x, 1), "width": round(max(width, 1.0), 1),
            "text_x": round(end + 4, 1) if value >= 0 else round(end - 4, 1),
            "anchor": "start" if value >= 0 else "end",
        })
    height = max(len(bars), 1) * ROW + 4
    described = "; ".join(f"{b['full_label']}: {b['text']}" for b in bars[:10])
    return {
        "id": chart_id, "title": title, "bars": bars, "width": WIDTH, "height": round(height, 1),
        "zero": round(zero, 1), "bar_height": BAR, "negative": low < 0,
        "desc": described + ("…" if len(bars) > 10 else ""),
        "truncated": len(valued) - len(shown), "empty": not bars,
    }
