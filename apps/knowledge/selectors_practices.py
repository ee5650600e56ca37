"""Reads of good practices, lessons learned and guidelines, scoped to the acting user
(`permissions_practices`), in a constant number of queries; and "¿Quién resolvió esto antes?"."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, FloatField, IntegerField, Prefetch, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.knowledge.models import Guideline, GuidelineVersion, Practice
from apps.knowledge.permissions_practices import (
    can_edit_guideline,
    can_edit_practice,
    guideline_visible_q,
    practice_visible_q,
)
from apps.knowledge.search import Normalized, StoredVector, is_postgresql, light_stem, query_words, text_of
from apps.territory.models import Department, Municipality, Sector

PRACTICE_TEXT = ("title", "topics", "what", "result", "evidence")
# Words too common to say two topics are alike.
STOPWORDS = frozenset(
    "para como entre sobre desde hasta donde cuando porque pero sino esta este estos estas esos esas "
    "municipio municipal municipios departamento departamental plan proyecto proyectos apoyo gestion "
    "fortalecimiento asistencia tecnica territorial territorio rural urbano urbana tres todos todas "
    "nuevo nueva nuevos".split()
)


def _practice_joins(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return qs.select_related("sector", "organization", "municipality__department", "department")


def practice_base(*, user: User) -> QuerySet[Practice]:
    """Practices and lessons the user may see, with what a list shows (one query)."""
    return _practice_joins(Practice.objects.filter(practice_visible_q(user)))


def text_filter(qs: QuerySet, model, fields: tuple[str, ...], text: str) -> QuerySet:
    """Spanish full-text on PostgreSQL (the stored vector of migration 0002), every accent-free
    word on SQLite."""
    words = query_words(text)
    if not words:
        return qs
    if is_postgresql():
        return qs.alias(search=StoredVector(model)).filter(
            search=SearchQuery(words, config="spanish", search_type="websearch"))
    qs = qs.alias(document=Normalized(text_of(*fields)))
    for word in words.split():
        qs = qs.filter(document__contains=light_stem(word))
    return qs


def practice_list(*, user: User, kind: str = "", sector: str = "", capacity: str = "", department: str = "",
                  q: str = "") -> QuerySet[Practice]:
    """The practices list, filtered. One query per page (sector, organisation, territory joined)."""
    qs = practice_base(user=user)
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(sector_id=sector)
    if capacity:
        qs = qs.filter(capacity=capacity)
    if department:
        qs = qs.filter(department_id=department)
    return text_filter(qs, Practice, PRACTICE_TEXT, q).order_by("-created_at", "-id")


def practice_get(*, user: User, pk: int) -> Practice:
    """One practice the user may see; 404 alike for missing and not visible."""
    practice = practice_base(user=user).filter(pk=pk).first()
    if practice is None:
        raise Http404
    return practice


def practice_get_for_edit(*, user: User, pk: int) -> Practice:
    practice = practice_get(user=user, pk=pk)
    if not can_edit_practice(user, practice):
        raise PermissionDenied
    return practice


def practice_links(*, user: User, practice: Practice) -> dict[str, list]:
    """The events, services and needs a practice came from, only those this person may open."""
    from apps.agenda.selectors import event_base
    from apps.demand.permissions import need_scope
    from apps.offer.selectors import service_base

    return {
        "events": list(event_base(user=user).filter(practices=practice).order_by("-starts_at")),
        "services": list(service_base(user=user).filter(practices=practice).order_by("name")),
        "needs": list(practice.needs.filter(need_scope(user)).select_related("municipality", "department")),
    }


# --- ¿Quién resolvió esto antes? -------------------------------------------------------------------


@dataclass
class Suggestion:
    practice: Practice
    reasons: list[str] = field(default_factory=list)


def _topic_words(text: str) -> list[str]:
    return [w for w in query_words(text).split() if len(w) >= 4 and w not in STOPWORDS][:8]


def _topic_q(qs: QuerySet[Practice], words: list[str]) -> tuple[QuerySet[Practice], Q, Any]:
    """(queryset, "a topic word in common", how close the topic is) on either database."""
    if is_postgresql():
        query = SearchQuery(" or ".join(words), config="spanish", search_type="websearch")
        vector = StoredVector(Practice)
        return qs.alias(search=vector), Q(search=query), SearchRank(vector, query)
    stems = [light_stem(w) for w in words]
    match = Q()
    for stem in stems:
        match |= Q(document__contains=stem)
    score = sum((Case(When(document__contains=w, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
                 for w in stems), Value(0.0, output_field=FloatField()))
    return qs.alias(document=Normalized(text_of(*PRACTICE_TEXT))), match, score


def _as_typed(text: str) -> dict[str, str]:
    """Accent-free word → the word as the person wrote it, lower case («formulacion» → «formulación»)."""
    from apps.core.text import normalize

    return {normalize(w): w.lower() for w in re.findall(r"\w+", text)}


def _reasons(practice: Practice, *, department: Department | None, category: str, sector: str | None,
             words: list[str], typed: dict[str, str] | None = None) -> list[str]:
    reasons = []
    if department is not None and practice.department_id == department.pk:
        reasons.append(_("Mismo departamento: %(name)s") % {"name": department.display_name})
    elif category and practice.municipality is not None and practice.municipality.category == category:
        reasons.append(_("Misma categoría municipal: %(category)s") % {
            "category": practice.municipality.get_category_display()})
    if sector and practice.sector is not None and practice.sector_id == sector:
        reasons.append(_("Mismo sector: %(sector)s") % {"sector": practice.sector.name})
    if getattr(practice, "topic_match", 0):
        from apps.core.text import normalize

        text = normalize(" ".join(str(getattr(practice, f) or "") for f in PRACTICE_TEXT))
        found = [w for w in words if w[:5] in text]
        if found:
            shown = [(typed or {}).get(w, w) for w in found[:3]]  # the words as written, accents and all
            reasons.append(_("Tema parecido: %(words)s") % {"words": ", ".join(f"«{w}»" for w in shown)})
        else:
            reasons.append(_("Tema parecido"))
    return reasons


def practices_nearby(*, user: User, sector: str | None = None, topic: str = "",
                     municipality: Municipality | None = None, department: Department | None = None,
                     limit: int = 5) -> list[Suggestion]:
    """Published practices and lessons of OTHER territories on the same sector or a similar topic,
    nearest first: the same department, then the same municipal category, then the rest; within
    each, same sector and similar topic first (the closest topic first), newest first. Each with why it was suggested.

    (municipality, department) is the territory that asks: its own practices are left out. One query.
    """
    words = _topic_words(topic)
    if not sector and not words:
        return []
    if municipality is not None and department is None:
        department = municipality.department
    qs = practice_base(user=user).filter(published=True)
    no_score = Value(0.0, output_field=FloatField())
    qs, topic_match, topic_score = _topic_q(qs, words) if words else (qs, Q(pk__in=[]), no_score)
    wanted = topic_match | (Q(sector_id=sector) if sector else Q(pk__in=[]))
    qs = qs.filter(wanted)
    if municipality is not None:
        qs = qs.exclude(municipality_id=municipality.pk)
    elif department is not None:
        qs = qs.exclude(municipality__isnull=True, department_id=department.pk)
    category = municipality.category if municipality is not None else ""
    near = [When(department_id=department.pk, then=Value(0))] if department is not None else []
    if category:
        near.append(When(municipality__category=category, then=Value(1)))
    qs = qs.annotate(
        proximity=Case(*near, default=Value(2), output_field=IntegerField()),
        sector_match=Case(When(sector_id=sector, then=Value(1)), default=Value(0), output_field=IntegerField())
        if sector else Value(0, output_field=IntegerField()),
        topic_match=Case(When(topic_match, then=Value(1)), default=Value(0), output_field=IntegerField())
        if words else Value(0, output_field=IntegerField()),
        topic_score=topic_score,
    ).order_by("proximity", "-sector_match", "-topic_match", "-topic_score", "-created_at", "-id")
    typed = _as_typed(topic)
    return [Suggestion(p, _reasons(p, department=department, category=category, sector=sector, words=words,
                                   typed=typed))
            for p in qs[:limit]]


def practices_for_need(*, user: User, need, limit: int = 5) -> list[Suggestion]:
    """"¿Quién resolvió esto antes?" for a need: its sector and topic, its territory left out."""
    return practices_nearby(user=user, sector=need.sector_id, topic=need.topic,
                            municipality=need.municipality, department=need.department, limit=limit)


# --- Guidelines ------------------------------------------------------------------------------------


def guideline_base(*, user: User) -> QuerySet[Guideline]:
    return Guideline.objects.filter(guideline_visible_q(user))


def _guideline_joins(qs: QuerySet[Guideline]) -> QuerySet[Guideline]:
    return qs.select_related("organization").prefetch_related(
        "sectors", Prefetch("versions", queryset=GuidelineVersion.objects.order_by("-number")))


def guideline_list(*, user: User, kind: str = "", sector: str = "", capacity: str = "", category: str = "",
                   q: str = "") -> QuerySet[Guideline]:
    """The library, filtered. Three queries per page: guidelines, their sectors, their versions.

    The capacity and category filters keep guidelines meant for everyone (none chosen) too.
    """
    qs = guideline_base(user=user)
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(pk__in=Guideline.sectors.through.objects.filter(sector_id=sector).values("guideline_id"))
    for name, value in (("capacities", capacity), ("categories", category)):
        if value:
            # JSON lists as text: the same lookup on SQLite (no JSON `contains`) and PostgreSQL.
            qs = qs.alias(**{f"{name}_text": Cast(name, TextField())}).filter(
                Q(**{f"{name}_text__contains": f'"{value}"'}) | Q(**{f"{name}_text": "[]"}))
    return _guideline_joins(text_filter(qs, Guideline, ("title", "summary"), q)).order_by("title", "id")


def guideline_get(*, user: User, pk: int) -> Guideline:
    guideline = _guideline_joins(guideline_base(user=user)).filter(pk=pk).first()
    if guideline is None:
        raise Http404
    return guideline


def guideline_get_for_edit(*, user: User, pk: int) -> Guideline:
    guideline = guideline_get(user=user, pk=pk)
    if not can_edit_guideline(user, guideline):
        raise PermissionDenied
    return guideline


def guideline_version_get(*, user: User, pk: int, number: int) -> GuidelineVersion:
    """A version's file, for whoever may see its guideline; 404 alike otherwise."""
    version = (GuidelineVersion.objects.filter(guideline__in=guideline_base(user=user), guideline_id=pk,
                                               number=number).select_related("guideline").first())
    if version is None:
        raise Http404
    return version


def guidelines_for_service(*, user: User, service) -> list[Guideline]:
    """The guidelines a service uses, those this person may see (the service page). One query."""
    return list(guideline_base(user=user).filter(services=service).select_related("organization")
                .annotate(version_count=Count("versions")).order_by("title"))


def sectors_in_use() -> QuerySet[Sector]:
    return Sector.objects.order_by("name")
