"""A hostile respondent on /seguimiento/responder/<token>/: NUL bytes, truncated links, huge
bodies, values out of the scale, answers to questions not shown. Nothing is recorded unless the
answer is valid, and never a server error."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.agenda.services import event_transition
from apps.monitoring import links
from apps.monitoring.models import Audience, Invitation
from apps.surveys.models import Answer, Submission
from tests.monitoring.followup_helpers import confirmed_event

pytestmark = pytest.mark.django_db

GOOD = {"T01": "4", "T02": "5", "T03": "3", "T04": "4", "T05": "5", "T06": "Sí", "T07": "No",
        "T08": "Muy útil la parte de formulación."}


@pytest.fixture
def realised(carla):
    event = confirmed_event()
    event_transition(user=carla, event=event, action="complete")
    return event


def _inv(event, audience=Audience.TERRITORY, email="laura@fusagasuga.gov.co") -> Invitation:
    return Invitation.objects.get(event=event, audience=audience, email=email)


@pytest.mark.parametrize("mangle", [
    lambda t: t[: len(t) // 2],  # truncated (a mail client cut the line)
    lambda t: t[:-1],
    lambda t: t + "%00",
    lambda t: t.replace(":", "%00", 1),
    lambda t: "%00",
    lambda t: t + "%2F..%2F",
    lambda t: t.upper(),
])
def test_mangled_links_answer_404(client, realised, mangle):
    token = links.invitation_token(_inv(realised))
    for method in (client.get, lambda url: client.post(url, GOOD)):
        response = method(f"/seguimiento/responder/{mangle(token)}/")
        assert response.status_code in (400, 404)  # a NUL byte in the path: 400 before the view
    assert not Submission.objects.exists()


@pytest.mark.parametrize("field, value", [
    ("T01", "0"), ("T01", "6"), ("T01", "3.5"), ("T01", "-1"), ("T01", " 4"), ("T01", "4\x00"),
    ("T01", "9" * 40), ("T06", "Quizás"), ("T06", "1"), ("T08", "hola\x00mundo"), ("T08", "x" * 4001),
])
def test_values_out_of_the_question_are_refused_on_the_field(client, realised, field, value):
    inv = _inv(realised)
    response = client.post(links.invitation_path(inv), {**GOOD, field: value})
    assert response.status_code == (400 if "\x00" in value else 200)  # NUL: the middleware's 400
    assert "Recibimos sus respuestas" not in response.content.decode()
    assert not Submission.objects.exists()
    inv.refresh_from_db()
    assert inv.answered_at is None


def test_a_list_of_levels_keeps_one_and_unknown_keys_are_ignored(client, realised):
    """`T01=1&T01=5` (a form posted twice over) is one answer; keys of questions not shown (the
    capacity questions, another survey's) record nothing."""
    inv = _inv(realised)
    body = {**GOOD, "T01": ["1", "5"], "C01": "5", "P01": "1", "csrfmiddlewaretoken": "x", "answered_at": "2020"}
    response = client.post(links.invitation_path(inv), body)
    assert response.status_code == 200 and "Recibimos sus respuestas" in response.content.decode()
    inv.refresh_from_db()
    keys = set(Answer.objects.filter(submission=inv.submission).values_list("question__key", flat=True))
    assert keys == set(GOOD)
    assert Answer.objects.get(submission=inv.submission, question__key="T01").number == 5


def test_a_capacity_link_records_only_the_capacities_it_asked(client, realised):
    inv = _inv(realised, Audience.CAPACITY_AFTER)
    Invitation.objects.filter(pk=inv.pk).update(sent_at=timezone.now(), expires_at=timezone.now() + timedelta(days=30))
    inv.refresh_from_db()
    from apps.monitoring.services import invitation_questions

    asked = {q.key for q in invitation_questions(inv)}
    every = set(inv.template.survey.questions.values_list("key", flat=True))
    hidden = every - asked
    assert asked and hidden
    body = {key: "3" for key in every}
    response = client.post(links.invitation_path(inv), body)
    assert response.status_code == 200 and "Recibimos sus respuestas" in response.content.decode()
    inv.refresh_from_db()
    recorded = set(Answer.objects.filter(submission=inv.submission).values_list("question__key", flat=True))
    assert recorded <= asked and not recorded & hidden


def test_a_huge_body_is_refused_without_recording(client, realised):
    inv = _inv(realised)
    response = client.post(links.invitation_path(inv), {**GOOD, "T08": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 200 and "caracteres" in response.content.decode()  # on the field
    assert not Submission.objects.exists()
    many = {**GOOD, **{f"k{n}": "1" for n in range(2000)}}
    response = client.post(links.invitation_path(inv), many)
    assert response.status_code == 400 and "demasiados campos" in response.content.decode()
    assert not Submission.objects.exists()


def test_another_invitation_s_link_answers_for_that_invitation_only(client, realised):
    mine, other = _inv(realised), Invitation.objects.filter(event=realised, audience=Audience.TERRITORY).exclude(
        email="laura@fusagasuga.gov.co").first()
    if other is None:
        other = _inv(realised, Audience.PROVIDER) if Invitation.objects.filter(
            event=realised, audience=Audience.PROVIDER).exists() else None
    assert other is not None
    assert client.post(links.invitation_path(mine), GOOD).status_code == 200
    # mine's link again: 410, and the other invitation is untouched
    assert client.post(links.invitation_path(mine), GOOD).status_code == 410
    other.refresh_from_db()
    assert other.answered_at is None


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, realised, method):
    response = getattr(client, method)(links.invitation_path(_inv(realised)))
    assert response.status_code == 405
    assert not Submission.objects.exists()


