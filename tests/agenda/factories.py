"""Events for tests, built straight into the database (status and dates as given)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory

from apps.agenda.models import Event
from apps.territory.models import Municipality
from tests.factories import org

BOGOTA = ZoneInfo("America/Bogota")
# A Tuesday with no holiday: tests that schedule on purpose use it (and days after it).
WORKDAY = datetime(2027, 3, 2, 8, 0, tzinfo=BOGOTA)


def at(day_offset: int = 0, hour: int = 8) -> datetime:
    """WORKDAY plus `day_offset` days, at `hour` in Bogotá."""
    return (WORKDAY + timedelta(days=day_offset)).replace(hour=hour)


class EventFactory(factory.django.DjangoModelFactory):
    """A proposed MinVivienda event in Fusagasugá on WORKDAY, 8:00–12:00, unless told otherwise.

    `providers` and `municipalities` take organisation codes (as `org()`) and DIVIPOLA codes.
    """

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Jornada de asistencia técnica {n}")
    kind = Event.Kind.TECHNICAL_ASSISTANCE
    status = Event.Status.PROPOSED
    starts_at = WORKDAY
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=4))
    modality = "presencial"
    place = "Alcaldía municipal"

    @factory.post_generation
    def providers(obj, create, extracted, **kwargs):
        if create:
            obj.providers.set([org(code) for code in (extracted or ["MinVivienda"])])

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create:
            obj.municipalities.set(Municipality.objects.filter(code__in=extracted or ["25290"]))
