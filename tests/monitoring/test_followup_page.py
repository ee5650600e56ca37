"""The answer page of a follow-up link: the questions with their levels, single use, tampered,
expired and rotated links, bad input kept with Spanish errors, the draft need of "more help", and
the activity record. Each refusal records nothing."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from apps.agenda.services import event_transition
from apps.core.models import Activity, Notification
from apps.demand.models import Need
from apps.demand.models import Status as NeedStatus
from apps.monitoring import links
from apps.monitoring.models import Audience, Invitation
from apps.monitoring.services import followup_answer, invitation_resend
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


def _invitation(event, audience=Audience.TERRITORY, email="laura@fusagasuga.gov.co") -> Invitation:
    return Invitation.objects.get(event=event, audience=audience, email=email)


def _url(invitation) -> str:
    return links.invitation_path(invitation)


def test_the_link_is_the_same_in_every_e_mail_until_it_is_rotated(realised):
    inv = _invitation(realised)
    assert links.invitation_token(inv) == links.invitation_token(Invitation.objects.get(pk=inv.pk))
    assert links.invitation_from_token(links.invitation_token(inv)) == inv


def test_the_e_mail_carries_the_personal_link(realised):
    inv = _invitation(realised)
    notice = Notification.objects.get(key=f"followup:{inv.pk}:invite")
    assert notice.link == _url(inv) and notice.link.startswith("/seguimiento/responder/")
    assert "Formulación del acueducto veredal" in notice.subject
    assert "sirve una sola vez" in notice.text


def test_the_page_shows_every_question_with_the_levels_and_no_script(client, realised):
    response = client.get(_url(_invitation(realised)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html and "htmx" not in html and 'rel="stylesheet"' not in html
    assert "¿Necesita más asistencia sobre este tema?" in html
    assert "Muy satisfecho: nos sirvió más de lo que esperábamos." in html  # the level's description
    assert html.count('type="radio"') == 5 * 5 + 3 + 2
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"


def test_a_capacity_link_asks_only_the_event_capacities(client, realised):
    inv = _invitation(realised, Audience.CAPACITY_AFTER)
    Invitation.objects.filter(pk=inv.pk).update(sent_at=timezone.now(), expires_at=timezone.now() + timedelta(days=30))
    html = client.get(_url(inv)).content.decode()
    assert "Planeación: hacer diagnósticos" in html and "Gestión:" not in html


def test_an_answer_is_recorded_once_and_the_second_submit_changes_nothing(client, realised):
    inv = _invitation(realised)
    url = _url(inv)
    first = client.post(url, GOOD)
    assert first.status_code == 200 and "Recibimos sus respuestas" in first.content.decode()
    second = client.post(url, {**GOOD, "T01": "1"})
    assert second.status_code == 410 and "Ya respondió" in second.content.decode()
    inv.refresh_from_db()
    assert inv.answered_at is not None and inv.submission is not None
    assert Submission.objects.filter(source_key=f"followup:{inv.pk}").count() == 1
    numbers = dict(Answer.objects.filter(submission=inv.submission, number__isnull=False)
                   .values_list("question__key", "number"))
    assert numbers == {"T01": 4, "T02": 5, "T03": 3, "T04": 4, "T05": 5}
    sub = inv.submission
    assert sub.batch_id is None and sub.is_latest and sub.municipality.code == "25290" and sub.department_id == "25"
    assert client.get(url).status_code == 410


def test_bad_input_keeps_what_was_typed_and_says_why_in_spanish(client, realised):
    inv = _invitation(realised)
    response = client.post(_url(inv), {**GOOD, "T01": "9", "T06": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Elija una de las opciones." in html and "Responda esta pregunta." in html
    assert "Muy útil la parte de formulación." in html  # the comment is still there
    assert re.search(r'<input type="radio" name="T02" value="5"[^>]* checked>', html)  # T02's choice too
    assert not Submission.objects.exists()
    inv.refresh_from_db()
    assert inv.answered_at is None


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature broken
    lambda t: signing.dumps({"i": 1, "n": "x"}, salt="otra-sal"),  # another salt
    lambda t: "x" * 32,
    lambda t: "a" * 5000,
])
def test_a_tampered_link_answers_404_and_records_nothing(client, realised, mangle):
    token = links.invitation_token(_invitation(realised))
    for method in (client.get, lambda url: client.post(url, GOOD)):
        response = method(f"/seguimiento/responder/{mangle(token)}/")
        assert response.status_code == 404
        assert "Este enlace no es válido" in response.content.decode()
    assert not Submission.objects.exists()


def test_another_invitation_s_id_with_a_valid_signature_but_wrong_nonce_is_refused(client, realised):
    inv = _invitation(realised)
    forged = links._signer().sign_object({"i": inv.pk, "n": "adivinado"})  # our key, a guessed nonce
    assert client.get(f"/seguimiento/responder/{forged}/").status_code == 404


def test_an_expired_link_answers_410_and_records_nothing(client, realised):
    inv = _invitation(realised)
    url = _url(inv)
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for response in (client.get(url), client.post(url, GOOD)):
        assert response.status_code == 410 and "Este enlace ya venció" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_resent_link_replaces_the_old_one(client, realised, carla):
    inv = _invitation(realised)
    old = _url(inv)
    fresh = invitation_resend(user=carla, invitation=inv)
    assert client.get(old).status_code == 404
    assert client.get(_url(fresh)).status_code == 200
    assert Notification.objects.filter(key=f"followup:{inv.pk}:resend:{fresh.nonce}").exists()


def test_only_coordinators_resend(realised, alice):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invitation_resend(user=alice, invitation=_invitation(realised))


def test_more_help_leaves_a_draft_need_for_the_territory_and_tells_its_editors(client, realised, alice, dora):
    inv = _invitation(realised)
    response = client.post(_url(inv), {**GOOD, "T07": "Sí"})
    assert "borrador de solicitud" in response.content.decode()
    inv.refresh_from_db()
    need = inv.opened_need
    assert need is not None and need.status == NeedStatus.DRAFT
    assert need.organization.municipality.code == "25290" and need.municipality.code == "25290"
    assert need.topic == "Acueducto veredal La Aguadita" and need.sector.slug == "agua-potable"
    assert need.capacity == "planeacion" and need.created_by is None
    assert "Solicitada desde el seguimiento de la jornada «Formulación del acueducto veredal»" in need.problem
    # alice (the alcaldía's editor) is told to complete and file it; dora (the gobernación) is not.
    notices = Notification.objects.filter(kind="followup.need_draft")
    assert [n.recipient for n in notices] == [alice]
    assert notices[0].link == need.get_absolute_url()
    # The draft is alice's to complete and file.
    from apps.demand.services import need_update

    need_update(user=alice, need=need, data={"expected_result": "Un proyecto formulado."}, submit=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.FILED


def test_a_person_without_a_municipality_leaves_no_need_where_no_one_can_file_it(client, carla):
    event = confirmed_event(people={"x@example.co": ("X", None)}, municipalities=("25290", "05001"))
    event_transition(user=carla, event=event, action="complete")
    inv = _invitation(event, email="x@example.co")
    client.post(_url(inv), {**GOOD, "T07": "Sí"})
    inv.refresh_from_db()
    assert inv.answered_at is not None and inv.opened_need is None
    assert not Need.objects.filter(status=NeedStatus.DRAFT).exists()


def test_answering_writes_a_private_activity_row(client, realised):
    inv = _invitation(realised)
    client.post(_url(inv), GOOD)
    row = Activity.objects.get(kind="followup.answered")
    assert row.public is False and row.municipality.code == "25290" and row.data["audience"] == "territorio"
    assert row.key == f"followup:{inv.pk}:answered"


def test_capacity_after_with_a_before_answer_measures_the_change(realised):
    territory = _invitation(realised)
    before = Invitation.objects.create(
        event=realised, template=_invitation(realised, Audience.CAPACITY_AFTER).template,
        audience=Audience.CAPACITY_BEFORE, email="laura@fusagasuga.gov.co", municipality=territory.municipality,
        department=territory.department, capacities=["planeacion", "gestion"], send_at=timezone.now(),
        sent_at=timezone.now())
    assert followup_answer(invitation=before, answers={"C_PLANEACION": 2, "C_GESTION": 3}) is not None
    after = _invitation(realised, Audience.CAPACITY_AFTER)
    Invitation.objects.filter(pk=after.pk).update(sent_at=timezone.now(), expires_at=timezone.now() + timedelta(days=3))
    after.refresh_from_db()
    assert followup_answer(invitation=after, answers={"C_PLANEACION": 4}) is not None
    rows = list(Activity.objects.filter(kind="capacity.measured"))
    assert [(r.data["capacity"], r.data["before"], r.data["after"], r.data["change"]) for r in rows] == [
        ("planeacion", 2, 4, 2)]
    assert rows[0].municipality.code == "25290"


def test_the_page_runs_a_constant_number_of_queries(client, realised, django_assert_num_queries):
    inv = _invitation(realised)
    url = _url(inv)
    # invitation with its template, survey, event and territory; the questions; their options;
    # the session/CSRF machinery reads nothing from the database for an anonymous visitor.
    with django_assert_num_queries(3):
        client.get(url)


def test_activity_rebuild_writes_the_same_rows_once(client, realised):
    from django.core.management import call_command

    client.post(_url(_invitation(realised)), GOOD)
    def rows():
        return list(Activity.objects.filter(kind="followup.answered").values("key", "title", "municipality", "data"))

    written = rows()
    Activity.objects.filter(kind="followup.answered").delete()
    call_command("activity_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert rows() == written
    call_command("activity_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Activity.objects.filter(kind="followup.answered").count() == 1


def test_the_answer_needs_no_cookie_only_the_link(realised):
    from django.test import Client

    browser_without_cookies = Client(enforce_csrf_checks=True)
    response = browser_without_cookies.post(_url(_invitation(realised)), GOOD)
    assert response.status_code == 200 and "Recibimos sus respuestas" in response.content.decode()
