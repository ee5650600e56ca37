"""The «Ya se realizó» box is for a new event only: `event_update` refuses it on an event already
on the agenda (that one is realised through «Marcar como realizada»), so the edit form hides it."""

import pytest

from apps.agenda.models import Event
from tests.agenda.factories import EventFactory
from tests.agenda.test_pages import _form, _html

pytestmark = pytest.mark.django_db
BOX = 'name="recorded_after_the_fact"'


def test_the_new_form_offers_the_box_and_the_edit_form_does_not(client_as, nina):
    event = EventFactory(providers=["MinVivienda"])
    client = client_as(nina)
    assert BOX in _html(client.get("/agenda/jornadas/nueva/"))
    page = _html(client.get(f"/agenda/jornadas/{event.pk}/editar/"))
    assert event.title in page and BOX not in page and "Ya se realizó" not in page


def test_editing_saves_and_keeps_how_the_event_was_recorded(client_as, nina):
    proposed = EventFactory(providers=["MinVivienda"])
    client = client_as(nina)
    # A hand-made post with the box ticked changes nothing about it (the field is not on the form).
    response = client.post(f"/agenda/jornadas/{proposed.pk}/editar/",
                           _form(title="Nuevo título", recorded_after_the_fact="on"))
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert (proposed.title, proposed.recorded_after_the_fact) == ("Nuevo título", False)
    past = EventFactory(providers=["MinVivienda"], recorded_after_the_fact=True)
    response = client.post(f"/agenda/jornadas/{past.pk}/editar/", _form(title="Otro título"))
    assert response.status_code == 302
    past.refresh_from_db()
    assert (past.title, past.recorded_after_the_fact) == ("Otro título", True)
    assert Event.objects.count() == 2
