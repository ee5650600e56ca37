"""The follow-up answer page: `/seguimiento/responder/<token>/`, public (the signed link is the key).

The lightest page of the site: its own small template (no menu, no scripts), radio buttons with
each level's description, one POST. A tampered link answers 404, a used or expired one 410, each
with a clear Spanish page that records nothing; a second submit of the same answer gets the
"ya respondió" page (services.followup_answer settles the race).
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.core.decorators import public
from apps.monitoring import services
from apps.monitoring.forms import FollowUpForm
from apps.monitoring.links import invitation_from_token
from apps.monitoring.models import Invitation


def _private(response: HttpResponse) -> HttpResponse:
    # The URL is a personal key: never cached by a proxy, never indexed. (The site's referrer policy,
    # same-origin, keeps it from other sites; "no-referrer" would make browsers send `Origin: null`
    # with the form, which Django's CSRF check refuses.)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _gone(request: HttpRequest, reason: str, invitation: Invitation | None = None) -> HttpResponse:
    status = 404 if reason == "invalid" else 410
    return _private(render(request, "monitoring/followup_gone.html",
                           {"reason": reason, "invitation": invitation}, status=status))


@public
# No session or cookie is the credential here, the signed link is: a forged cross-site POST would
# need the link itself, and whoever has it may answer anyway. Without the CSRF check, a phone whose
# browser drops cookies (some e-mail apps' viewers) still records the answer.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def followup_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_from_token(token)
    if invitation is None:
        return _gone(request, "invalid")
    state = services.invitation_state(invitation)
    if state != "open":
        return _gone(request, state, invitation)
    questions = services.invitation_questions(invitation)
    form = FollowUpForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            answered = services.followup_answer(invitation=invitation, answers=form.answers(), questions=questions)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if answered is None:  # the other submit won, or the link expired meanwhile
                invitation.refresh_from_db(fields=["answered_at", "expires_at"])
                return _gone(request, services.invitation_state(invitation), invitation)
            return _private(render(request, "monitoring/followup_done.html", {"invitation": answered}))
    return _private(render(request, "monitoring/followup_form.html", {
        "invitation": invitation, "event": invitation.event, "survey": invitation.template.survey, "form": form,
        "scale_keys": {q.key for q in questions if q.type == q.Type.SCALE}}))
