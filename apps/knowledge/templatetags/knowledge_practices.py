"""Panels other apps' pages include: "¿Quién resolvió esto antes?" on a need's page and the
guidelines a service uses on its page. One query each."""

from django import template

from apps.knowledge import selectors_practices as selectors

register = template.Library()
SUGGESTIONS = 3


@register.inclusion_tag("knowledge/_who_solved_panel.html", takes_context=True)
def who_solved_panel(context, need):
    from apps.demand.models import Status
    from apps.demand.permissions import is_party

    user = context["request"].user
    return {"need": need, "suggestions": selectors.practices_for_need(user=user, need=need, limit=SUGGESTIONS),
            # Once assistance was delivered, the territory is asked to share what worked.
            "can_share": need.status in (Status.ATTENDED, Status.CLOSED) and is_party(user, need)}


@register.inclusion_tag("knowledge/_service_guidelines.html", takes_context=True)
def service_guidelines(context, service):
    user = context["request"].user
    return {"guidelines": selectors.guidelines_for_service(user=user, service=service)}
