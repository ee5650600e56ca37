import factory

from apps.core.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    subject = factory.Sequence(lambda n: f"Aviso de prueba {n}")
    text = "Su solicitud cambió de estado."
    link = "/solicitudes/1/"
    key = factory.Sequence(lambda n: f"test:notice:{n}")
