"""Practices and guidelines for tests, built straight into the database."""

import factory
from django.core.files.base import ContentFile

from apps.knowledge.files import tiny_pdf
from apps.knowledge.models import Guideline, GuidelineVersion, Practice
from apps.territory.models import Municipality, Sector
from tests.factories import org


class PracticeFactory(factory.django.DjangoModelFactory):
    """A published good practice of Agua de Dios (amy's municipality, Cundinamarca) on drinking water."""

    class Meta:
        model = Practice
        skip_postgeneration_save = True

    kind = Practice.Kind.PRACTICE
    title = factory.Sequence(lambda n: f"Acueducto veredal comunitario {n}")
    what = "Formulamos el proyecto del acueducto veredal con la comunidad y lo presentamos al OCAD."
    result = "Tres veredas con agua potable."
    sector = factory.LazyFunction(lambda: Sector.objects.get(slug="agua-potable"))
    capacity = "planeacion"
    topics = "acueducto, regalías"
    organization = factory.LazyFunction(lambda: org("25001"))
    municipality = factory.LazyAttribute(lambda o: Municipality.objects.get(code=o.organization.municipality_id)
                                         if o.organization.municipality_id else None)
    department_id = factory.LazyAttribute(lambda o: o.organization.department_id)
    contact_name = "Ana Pérez"
    contact_email = "planeacion@aguadedios.gov.co"
    published = True


class GuidelineFactory(factory.django.DjangoModelFactory):
    """A published MinVivienda guide with one PDF version (`versions=n` for n; the files go to
    MEDIA_ROOT, which tests point at a temporary folder)."""

    class Meta:
        model = Guideline
        skip_postgeneration_save = True

    kind = Guideline.Kind.GUIDE
    title = factory.Sequence(lambda n: f"Guía de formulación de acueductos {n}")
    summary = "Cómo formular proyectos de acueducto y alcantarillado para regalías."
    organization = factory.LazyFunction(lambda: org("MinVivienda"))
    published = True

    @factory.post_generation
    def versions(obj, create, extracted, **kwargs):
        if not create:
            return
        for number in range(1, (1 if extracted is None else extracted) + 1):
            data = tiny_pdf(obj.title, [f"Versión {number}"])
            version = GuidelineVersion(guideline=obj, number=number, file_name=f"guia-v{number}.pdf",
                                       content_type="application/pdf", size=len(data), sha256=f"{number:064d}")
            version.file.save(f"test-{obj.pk}-{number}.pdf", ContentFile(data), save=False)
            version.save()
