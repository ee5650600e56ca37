"""Admins edit the follow-up templates (delays, reminders as "3, 7") and resend a link from the
invitations list; invitations are read-only."""

import pytest

from apps.agenda.services import event_transition
from apps.core.models import Notification
from apps.monitoring.models import Audience, FollowUpTemplate, Invitation
from tests.monitoring.followup_helpers import confirmed_event

pytestmark = pytest.mark.django_db


def test_an_admin_edits_a_template_s_delays(client_as, adam):
    client = client_as(adam)
    template = FollowUpTemplate.objects.get(audience=Audience.CAPACITY_AFTER)
    url = f"/admin/monitoring/followuptemplate/{template.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'value="3, 7"' in page.content.decode()
    data = {"audience": template.audience, "survey": template.survey_id, "active": "on", "send_after_days": 120,
            "valid_days": 45, "reminder_days": "5; 2", "subject": "Después de {jornada}", "intro": "Hola"}
    assert client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert (template.send_after_days, template.valid_days, template.reminder_days) == (120, 45, [2, 5])
    bad = client.post(url, {**data, "reminder_days": "tres"})
    assert "Escriba días enteros separados por comas" in bad.content.decode()


def test_an_admin_resends_a_link_from_the_list(client_as, adam, carla):
    event = confirmed_event()
    event_transition(user=carla, event=event, action="complete")
    client = client_as(adam)
    assert client.get("/admin/monitoring/invitation/").status_code == 200
    inv = Invitation.objects.get(event=event, audience=Audience.TERRITORY, email="vecina@example.co")
    nonce = inv.nonce
    assert client.get(f"/admin/monitoring/invitation/{inv.pk}/change/").status_code == 200
    response = client.post("/admin/monitoring/invitation/", {"action": "resend", "_selected_action": [inv.pk]})
    assert response.status_code == 302
    inv.refresh_from_db()
    assert inv.nonce != nonce
    assert Notification.objects.filter(key=f"followup:{inv.pk}:resend:{inv.nonce}").exists()


def test_coordinators_see_the_follow_up_counts_on_the_event_page_and_others_do_not(client_as, carla, nina, alice):
    from apps.monitoring.services import followup_answer

    event = confirmed_event(providers=["MinVivienda"])
    event_transition(user=carla, event=event, action="complete")
    inv = Invitation.objects.get(event=event, audience=Audience.TERRITORY, email="laura@fusagasuga.gov.co")
    followup_answer(invitation=inv, answers={"T01": 5, "T02": 5, "T03": 5, "T04": 5, "T05": 5, "T06": "Sí",
                                             "T07": "No", "T08": "Comentario privado de Laura"})
    html = client_as(carla).get(event.get_absolute_url()).content.decode()
    panel = html[html.index('id="seguimiento"'):]
    panel = panel[:panel.index("</section>")]
    # Participants of the territory: 2 sent, 1 answered, 1 pending; the after-assessment: 2 waiting.
    assert ('<td data-label="Enviadas">2</td><td data-label="Respondidas">1</td>'
            '<td data-label="Sin responder">1') in panel
    assert '<td data-label="Por enviar">2</td>' in panel
    assert "Comentario privado" not in html
    for person in (nina, alice):
        client = client_as(person)
        assert 'id="seguimiento"' not in client.get(event.get_absolute_url()).content.decode()
        client.logout()


@pytest.mark.parametrize("attendees", [1, 12])
def test_the_event_panel_is_one_query_however_many_were_asked(carla, attendees, django_assert_num_queries):
    from apps.monitoring.templatetags.monitoring_followups import event_followup_counts

    people = {f"p{i}@example.co": (f"P{i}", None) for i in range(attendees)}
    event = confirmed_event(people=people)
    event_transition(user=carla, event=event, action="complete")
    with django_assert_num_queries(1):  # the counts grouped by audience
        rows = event_followup_counts(user=carla, event=event)
    assert {r["audience"]: r["invited"] for r in rows} == {Audience.TERRITORY: attendees,
                                                          Audience.CAPACITY_AFTER: attendees}
