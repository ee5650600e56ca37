"""Needs for tests: built straight into the database (status and dates set as given)."""

import factory
from django.utils import timezone

from apps.demand.models import Capacity, Need, Status
from apps.territory.models import Sector
from tests.factories import org


class NeedFactory(factory.django.DjangoModelFactory):
    """A radicada need of Fusagasugá (alice's municipality) unless told otherwise."""

    class Meta:
        model = Need

    organization = factory.LazyFunction(lambda: org("25290"))
    department_id = factory.LazyAttribute(lambda o: o.organization.department_id)
    municipality_id = factory.LazyAttribute(lambda o: o.organization.municipality_id)
    sector = factory.LazyFunction(lambda: Sector.objects.get(slug="agua-potable"))
    topic = factory.Sequence(lambda n: f"Acueducto rural {n}")
    capacity = Capacity.PLANNING
    problem = "No sabemos formular el proyecto del acueducto veredal."
    expected_result = "Un proyecto formulado y presentado al OCAD."
    participants = 3
    status = Status.FILED
    submitted_at = factory.LazyFunction(timezone.now)
