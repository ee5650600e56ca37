"""Commitments for tests, built straight into the database (status and dates as given)."""

import factory

from apps.knowledge.models import Commitment, CommitmentProgress, Workshop
from apps.territory.models import Municipality
from tests.factories import org


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    slug = factory.Sequence(lambda n: f"taller-prueba-{n}")
    title = factory.Sequence(lambda n: f"Taller de prueba {n}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A pending commitment of MinVivienda for Fusagasugá (a territory's commitment, not public),
    with its first progress note. `responsible` takes an organisation code (as `org()`)."""

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    text = factory.Sequence(lambda n: f"Entregar el diagnóstico de acueducto número {n}")
    responsible = factory.LazyFunction(lambda: org("MinVivienda"))
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(code="25290"))
    department = factory.LazyAttribute(lambda o: o.municipality.department if o.municipality else None)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("responsible"), str):
            kwargs["responsible"] = org(kwargs["responsible"])
        return kwargs

    @factory.post_generation
    def first_note(obj, create, extracted, **kwargs):
        if create:
            CommitmentProgress.objects.create(commitment=obj, to_status=obj.status,
                                              note=extracted or "Compromiso registrado.")
