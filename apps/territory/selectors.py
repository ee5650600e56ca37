from django.db.models import Count, Q, QuerySet

from apps.core.text import normalize
from apps.territory.models import Department, Municipality


def department_list() -> QuerySet[Department]:
    departments = Department.objects.annotate(municipality_count=Count("municipalities"))
    return departments.order_by(*(Department._meta.ordering or ()))


TYPED_MAX_CHARS = 150


def municipality_match(q: str) -> Q:
    """Typed text as a filter: a code prefix, or part of the accent-free "name department"."""
    term = normalize(q)
    if not term:
        return Q()
    if len(term) > TYPED_MAX_CHARS:  # longer than any "name department"; SQLite refuses LIKE over 50 KB
        return Q(pk__in=[])
    return Q(code__startswith=term) if term.isdigit() else Q(search_name__contains=term)


def municipality_search(*, q: str = "", department: str = "", limit: int | None = None) -> QuerySet[Municipality]:
    """Municipalities whose name starts a word with what was typed, within a department if given.

    Matches ignore case and accents (`search_name` is normalised when loaded).
    """
    qs = Municipality.objects.select_related("department")
    if department:
        qs = qs.filter(department_id=department.zfill(2))
    qs = qs.filter(municipality_match(q))
    qs = qs.order_by(*(Municipality._meta.ordering or ()))  # accent-aware: Cáqueza before Cucunubá
    return qs[:limit] if limit else qs


def municipality_resolve(*, department: str, name: str) -> Municipality | None:
    """The one municipality of a department with that name (or code), typed loosely."""
    term = normalize(name)
    if not term or not department:
        return None
    for prefix in ("municipio de ", "alcaldia de "):
        term = term.removeprefix(prefix)
    candidates = Municipality.objects.filter(department_id=department.zfill(2)).only("code", "display_name", "name")
    for muni in candidates:
        if term in (muni.code, normalize(muni.display_name), normalize(muni.name)):
            return muni
    return None
