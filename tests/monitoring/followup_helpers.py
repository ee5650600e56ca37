"""Events with their people for the follow-up tests: a confirmed MinVivienda event in Fusagasugá
(alice's municipality) that started yesterday, with a Fusagasugá official, a person without an
organisation, a MinVivienda engineer and an ANM observer (neither territory nor provider)."""

from datetime import timedelta

from django.utils import timezone

from apps.agenda.models import Event
from tests.agenda.factories import EventFactory
from tests.demand.factories import NeedFactory
from tests.factories import org

PEOPLE = {
    "laura@fusagasuga.gov.co": ("Laura Méndez", "25290"),
    "vecina@example.co": ("Rosa Vecina", None),
    "ingeniero@minvivienda.gov.co": ("Iván Ingeniero", "MinVivienda"),
    "observador@anm.gov.co": ("Olga Observadora", "ANM"),
}


def confirmed_event(*, people=PEOPLE, capacities=("planeacion",), municipalities=("25290",), started_days_ago=1,
                    **kwargs) -> Event:
    start = timezone.now() - timedelta(days=started_days_ago)
    event = EventFactory(status=Event.Status.CONFIRMED, starts_at=start, ends_at=start + timedelta(hours=4),
                         municipalities=list(municipalities), title="Formulación del acueducto veredal", **kwargs)
    for email, (name, code) in people.items():
        event.attendees.create(name=name, email=email, organization=org(code) if code else None)
    for capacity in capacities:
        event.needs.add(NeedFactory(capacity=capacity, status="programada", topic="Acueducto veredal La Aguadita"))
    return event
