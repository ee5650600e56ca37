"""Factories for the foundation; each app's tests add theirs in tests/<app>/factories.py."""

import factory

from apps.accounts.models import Organization, User
from apps.accounts.services import organization_resolve

PASSWORD = "Clave-Segura-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.gov.co")
    full_name = factory.Faker("name", locale="es_CO")
    role = User.Role.EDITOR
    organization = factory.LazyFunction(lambda: organization_resolve("25290"))

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        obj.is_staff = obj.is_superuser = obj.role == User.Role.ADMIN
        if create:
            obj.save()


def org(code: str) -> Organization:
    return organization_resolve(code)
