"""Load the reference data shipped in `data/` (DIVIPOLA, national entities, sectors).

Idempotent: rows are inserted or updated by their natural key, never duplicated. The migration
`0002_reference_data` calls it with the historical models, the `load_reference_data` command
with the live ones.
"""

import csv
from pathlib import Path
from typing import Any

from django.conf import settings

from apps.core.text import normalize

DATA_DIR = Path(settings.BASE_DIR) / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model: Any, key: str, rows: list[dict[str, Any]], fields: list[str]) -> int:
    existing = set(model.objects.values_list(key, flat=True))
    objects = [model(**row) for row in rows]
    model.objects.bulk_create([o for o in objects if getattr(o, key) not in existing], batch_size=500)
    model.objects.bulk_update([o for o in objects if getattr(o, key) in existing], fields, batch_size=500)
    return len(objects)


def load_reference_data(
    *, department: Any = None, municipality: Any = None, sector: Any = None, entity: Any = None
) -> dict[str, int]:
    """Upsert every reference table; models default to the live ones."""
    if department is None:
        from apps.territory.models import Department, Municipality, NationalEntity, Sector

        department, municipality, sector, entity = Department, Municipality, Sector, NationalEntity

    departments = _rows("divipola_departments.csv")
    dept_names = {row["code"]: row["display_name"] for row in departments}
    counts = {
        "departments": _upsert(
            department,
            "code",
            [
                {"code": r["code"], "name": r["name"], "display_name": r["display_name"],
                 "capital_code": r["capital_code"]}
                for r in departments
            ],
            ["name", "display_name", "capital_code"],
        ),
        "municipalities": _upsert(
            municipality,
            "code",
            [
                {
                    "code": r["code"], "name": r["name"], "display_name": r["display_name"],
                    "department_id": r["department_code"], "entity_type": r["entity_type"],
                    "is_department_capital": r["is_department_capital"] == "true",
                    "search_name": normalize(f"{r['display_name']} {dept_names[r['department_code']]}"),
                }
                for r in _rows("divipola_municipalities.csv")
            ],
            ["name", "display_name", "department_id", "entity_type", "is_department_capital",
             "search_name"],
        ),
        "sectors": _upsert(sector, "slug", _rows("sectors.csv"), ["name"]),
    }
    # National entities are keyed by acronym: names get corrected, acronyms are stable.
    entities = _rows("national_entities.csv")
    existing = set(entity.objects.values_list("acronym", flat=True))
    for row in entities:
        if row["acronym"] in existing:
            entity.objects.filter(acronym=row["acronym"]).update(**row)
        else:
            entity.objects.create(**row)
    counts["entities"] = len(entities)
    return counts
