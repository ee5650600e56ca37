import pytest

from apps.accounts.demo import load as load_people
from apps.offer.demo import load
from apps.offer.models import Service

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_is_varied_published_and_idempotent(client):
    load_people()
    load()
    published = Service.objects.filter(status=Service.Status.PUBLISHED)
    assert published.count() >= 24
    owners = set(published.values_list("organization__name", flat=True))
    assert {"Ministerio de Vivienda, Ciudad y Territorio", "Agencia Nacional de Minería",
            "Gobernación de Cundinamarca"} <= owners
    assert len(owners) >= 7
    load()
    assert Service.objects.count() == published.count()
    html = client.get("/oferta/", {"q": "regalías"}).content.decode()
    assert "Guía de regalías y proyectos en municipios mineros" in html


def test_the_export_format_must_be_csv_or_xlsx(client):
    assert client.get("/oferta/exportar/pdf/").status_code == 404
