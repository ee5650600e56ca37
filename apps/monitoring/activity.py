"""What a follow-up answer leaves in the territory's memory (`apps.core.activity`).

Each answer writes "followup.answered" (private: who answered is the territory's and the
coordinators' to see, never what), and an "after" self-assessment that has a matching "before"
writes one "capacity.measured" row per capacity, with before, after and change. Keyed by the
invitation (and capacity), so the service and `activity_rebuild` (`rebuild()`) write the same rows once.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from apps.core.activity import record
from apps.core.vocabulary import Capacity
from apps.monitoring.models import Audience, Invitation
from apps.surveys.models import Answer


def followup_answer_record(*, invitation: Invitation, occurred_at: datetime) -> None:
    event = invitation.event
    record(key=f"followup:{invitation.pk}:answered", kind="followup.answered", occurred_at=occurred_at,
           public=False,
           title=_("Respuesta al seguimiento de la jornada «%(title)s» (%(audience)s)") % {
               "title": event.title, "audience": invitation.get_audience_display().lower()},
           link=event.get_absolute_url(), data={"event": event.pk, "audience": invitation.audience},
           municipality=invitation.municipality, department=invitation.department,
           organization=invitation.organization)
    if invitation.audience == Audience.CAPACITY_AFTER:
        _record_capacity_change(invitation, occurred_at)


def _levels(submission_id: int | None) -> dict[str, int]:
    if submission_id is None:
        return {}
    rows = (Answer.objects.filter(submission_id=submission_id, question__role="capacity", number__isnull=False)
            .values_list("question__capacity", "number"))
    return {capacity: number for capacity, number in rows if capacity and number is not None}


def before_invitation(invitation: Invitation) -> Invitation | None:
    """The answered "before" self-assessment that matches an "after" one: the same person's, else
    the same territory's (latest answer) for the same event."""
    answered = Invitation.objects.filter(event_id=invitation.event_id, audience=Audience.CAPACITY_BEFORE,
                                         answered_at__isnull=False, submission__isnull=False)
    same = answered.filter(email=invitation.email).first()
    if same is not None:
        return same
    if invitation.municipality_id is None and invitation.department_id is None:
        return None
    return (answered.filter(municipality_id=invitation.municipality_id, department_id=invitation.department_id)
            .order_by("-answered_at", "-id").first())


def _record_capacity_change(invitation: Invitation, occurred_at: datetime) -> None:
    before = before_invitation(invitation)
    if before is None:
        return
    old, new = _levels(before.submission_id), _levels(invitation.submission_id)
    labels = dict(Capacity.choices)
    for code in [c for c in Capacity.values if c in old and c in new]:
        record(key=f"followup:{invitation.pk}:capacity:{code}", kind="capacity.measured", occurred_at=occurred_at,
               public=False,
               title=_("Capacidad «%(capacity)s»: de %(before)s a %(after)s después de «%(title)s»") % {
                   "capacity": labels[code], "before": old[code], "after": new[code],
                   "title": invitation.event.title},
               link=invitation.event.get_absolute_url(),
               data={"capacity": code, "before": old[code], "after": new[code], "change": new[code] - old[code],
                     "event": invitation.event_id},
               municipality=invitation.municipality, department=invitation.department,
               organization=invitation.organization)


def rebuild() -> None:
    """The rows of every answered follow-up (activity_rebuild); existing keys are left as they are."""
    answered = (Invitation.objects.filter(answered_at__isnull=False, submission__isnull=False)
                .select_related("event", "municipality", "department", "organization").order_by("answered_at", "id"))
    for invitation in answered.iterator(chunk_size=500):
        assert invitation.answered_at is not None
        followup_answer_record(invitation=invitation, occurred_at=invitation.answered_at)
