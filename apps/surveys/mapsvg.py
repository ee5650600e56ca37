"""A light map of Colombia by department, drawn server-side as inline SVG paths.

Longitude/latitude are projected as they are (equirectangular, latitude scaled by cos 4°,
Colombia's middle), rounded to one decimal of a pixel and thinned so the page stays small.
"""

import json
import math
from functools import lru_cache
from pathlib import Path

from django.conf import settings

GEOJSON = Path(settings.BASE_DIR) / "data" / "colombia_departments.geojson"
WIDTH = 360.0
MIN_STEP = 2.0  # pixels between kept points
COLOURS = ("#e8eef5", "#c6d7ea", "#8fb3d9", "#4f86c0", "#0b4f8a")


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@lru_cache(maxsize=1)
def department_shapes() -> tuple[float, list[dict]]:
    """(height, [{code, name, d}]) for every department; computed once per process."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    kx = math.cos(math.radians(4.0))
    points = [(lon * kx, lat) for f in features for ring in _rings(f["geometry"]) for lon, lat in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = WIDTH / (max_x - min_x)
    shapes = []
    for feature in features:
        parts = []
        for ring in _rings(feature["geometry"]):
            kept: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = (lon * kx - min_x) * scale, (max_y - lat) * scale
                if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= MIN_STEP:
                    kept.append((x, y))
            if len(kept) >= 3:
                parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in kept) + "Z")
        props = feature["properties"]
        shapes.append({"code": props["code"], "name": props["display_name"], "d": "".join(parts)})
    return (max_y - min_y) * scale, shapes


def choropleth(values: dict[str, int], label: str) -> dict:
    """Context for the map template: one path per department with a fill by value (5 classes)."""
    height, shapes = department_shapes()
    top = max(values.values(), default=0)
    regions = []
    for shape in shapes:
        value = values.get(shape["code"], 0)
        level = 0 if not value or not top else min(len(COLOURS) - 1, 1 + int(3.999 * value / top))
        regions.append({**shape, "value": value, "fill": COLOURS[level]})
    legend = [{"fill": COLOURS[0], "text": "0"}]
    if top:
        legend.append({"fill": COLOURS[-1], "text": str(top)})
    return {"width": WIDTH, "height": round(height, 1), "regions": regions, "label": label, "legend": legend}
