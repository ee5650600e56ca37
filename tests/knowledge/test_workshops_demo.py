"""The demo workshop `make run` loads: recorded through the service by Fusagasugá's editor, in the
municipality's memory, its commitments followed, its notices marked sent, loaded once."""

import pytest

from apps.accounts import demo as accounts_demo
from apps.core.models import Activity, Notification
from apps.knowledge import demo_workshops
from apps.knowledge.models import Workshop

pytestmark = pytest.mark.django_db


def test_the_demo_workshop_loads_once_into_fusagasugas_memory():
    accounts_demo.load()
    assert demo_workshops.load()
    assert demo_workshops.load() == []
    workshop = Workshop.objects.get(title=demo_workshops.TITLE)
    assert workshop.municipality_id == "25290" and workshop.commitments.count() == 2
    assert workshop.tree_nodes.filter(parent__isnull=False, kind="causa").count() == 2
    assert Activity.objects.filter(kind="workshop.recorded", municipality_id="25290").count() == 1
    assert not Notification.objects.filter(sent_at=None).exists()
