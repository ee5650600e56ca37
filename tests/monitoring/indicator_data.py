"""Follow-ups and answers for the indicator tests, written straight into the database.

The follow-up surveys and templates come from the monitoring data migration when it is there;
otherwise (or for a role it lacks) these helpers create the minimum: a survey, a template per
audience and a SCALE question per role (capacity questions per capacity code).
"""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from apps.monitoring.models import Audience, FollowUpTemplate, Invitation
from apps.surveys.models import Answer, Question, Submission, Survey

_seq = count(1)


def template(audience: str) -> FollowUpTemplate:
    found = FollowUpTemplate.objects.filter(audience=audience).select_related("survey").first()
    if found:
        return found
    survey, _ = Survey.objects.get_or_create(
        slug=f"prueba-indicadores-{audience}", defaults={"title": audience, "unit": "municipality",
                                                          "year": 2027, "mode": "live"})
    return FollowUpTemplate.objects.create(audience=audience, survey=survey, subject="Seguimiento")


def question(survey: Survey, role: str, capacity: str = "") -> Question:
    qs = Question.objects.filter(survey=survey, role=role)
    if capacity:
        qs = qs.filter(capacity=capacity)
    found = qs.first()
    if found:
        return found
    position = Question.objects.filter(survey=survey).count() + 1
    return Question.objects.create(survey=survey, key=f"X{next(_seq)}", position=position, type="scale",
                                   header=role, role=role, capacity=capacity)


def invitation(event, audience: str = Audience.TERRITORY, *, municipality=None, department=None,
               sent: bool = True, answered: bool = False, email: str | None = None) -> Invitation:
    now = timezone.now()
    if municipality is not None and department is None:
        department = municipality.department
    return Invitation.objects.create(
        event=event, template=template(audience), audience=audience,
        email=email or f"persona{next(_seq)}@example.gov.co", municipality=municipality, department=department,
        send_at=now, sent_at=now if sent else None, answered_at=now if answered else None,
    )


def answer(inv: Invitation, values: dict, *, when=None) -> Submission:
    """Answer `inv` with {role or (role, capacity): number}; marks it answered."""
    survey = inv.template.survey
    when = when or timezone.now()
    sub = Submission.objects.create(survey=survey, source_key=f"followup:{inv.pk}", is_latest=True,
                                    finished_at=when, municipality=inv.municipality, department=inv.department)
    for role, number in values.items():
        role, capacity = role if isinstance(role, tuple) else (role, "")
        q = question(survey, role, capacity)
        Answer.objects.create(survey=survey, submission=sub, question=q, number=number, is_latest=True)
    inv.submission, inv.answered_at = sub, when
    inv.save(update_fields=["submission", "answered_at"])
    return sub


def capacity(event, municipality, capacity_code: str, before: int | None, after: int | None):
    """A territory's before and after self-assessment of one capacity around `event`."""
    for audience, value in ((Audience.CAPACITY_BEFORE, before), (Audience.CAPACITY_AFTER, after)):
        if value is not None:
            inv = invitation(event, audience, municipality=municipality)
            answer(inv, {("capacity", capacity_code): value},
                   when=timezone.now() + timedelta(seconds=1 if audience == Audience.CAPACITY_AFTER else 0))
