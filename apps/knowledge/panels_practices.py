"""Panels on territory and entity pages: a territory's good practices and lessons (and a link to
share one), an entity's guidelines. One or two queries each."""

from apps.knowledge import selectors_practices as selectors
from apps.territory.panels import register

SHOWN = 5


def _practices(request, **where) -> dict:
    qs = selectors.practice_base(user=request.user).filter(**where).order_by("-created_at", "-id")
    return {"practices": list(qs[:SHOWN]), "more": qs.count() > SHOWN}


@register("municipality")
def municipality_practices(request, municipality):
    return "knowledge/_practices_panel.html", {"place": municipality.display_name,
                                               **_practices(request, municipality_id=municipality.pk)}


@register("department")
def department_practices(request, department):
    return "knowledge/_practices_panel.html", {"place": department.display_name, "department": department.pk,
                                               **_practices(request, department_id=department.pk)}


@register("entity")
def entity_guidelines(request, entity):
    from apps.accounts.models import Organization

    org = Organization.objects.filter(national_entity=entity).first()
    if org is None:
        return None
    guidelines = list(selectors.guideline_base(user=request.user).filter(organization=org).order_by("title")[:SHOWN])
    if not guidelines:
        return None
    return "knowledge/_guidelines_panel.html", {"guidelines": guidelines}
