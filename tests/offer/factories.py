import factory

from apps.offer.models import Service
from apps.territory.models import Department, Sector
from tests.factories import org


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published, nationwide MinVivienda service unless told otherwise."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organization = factory.LazyFunction(lambda: org("MinVivienda"))
    name = factory.Sequence(lambda n: f"Servicio de asistencia {n}")
    summary = "Acompañamiento técnico a municipios."
    description = "Sesiones de trabajo con el equipo de la alcaldía."
    capacities = factory.LazyFunction(lambda: ["planeacion"])
    assistance_type = "acompanamiento"
    modality = "virtual"
    audience = factory.LazyFunction(lambda: ["municipios"])
    nationwide = True
    contact_email = "att@minvivienda.gov.co"
    status = Service.Status.PUBLISHED

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create:
            obj.sectors.set(Sector.objects.filter(slug__in=extracted or ["vivienda"]))

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.departments.set(Department.objects.filter(code__in=extracted))


def service_payload(**overrides) -> dict:
    """A valid API body for a new service."""
    body = {
        "name": "Asistencia en acueductos rurales",
        "summary": "Acompañamos a los municipios en proyectos de agua potable.",
        "sectors": ["agua-potable"],
        "capacities": ["tecnica"],
        "assistance_type": "acompanamiento",
        "modality": "mixta",
        "audience": ["municipios"],
        "nationwide": True,
        "contact_email": "att@minvivienda.gov.co",
    }
    return body | overrides


def form_payload(**overrides) -> dict:
    """A valid editor-form POST for a new service."""
    data = {
        "name": "Asistencia en acueductos rurales",
        "summary": "Acompañamos a los municipios en proyectos de agua potable.",
        "description": "",
        "sectors": ["agua-potable"],
        "topics": "acueducto, agua",
        "capacities": ["tecnica"],
        "assistance_type": "acompanamiento",
        "modality": "mixta",
        "delivery": "centralizada",
        "audience": ["municipios"],
        "nationwide": "on",
        "cost_band": "gratuito",
        "contact_email": "att@minvivienda.gov.co",
        "links": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
