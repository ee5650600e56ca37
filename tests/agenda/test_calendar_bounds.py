"""The calendar pages any date it is given: the first and last dates Python knows fall back to this month."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["fecha=0001-01-01", "fecha=9999-12-31", "fecha=9999-12-31&vista=semana",
                                   "fecha=0001-01-01&vista=semana"])
@pytest.mark.parametrize("path", ["/agenda/", "/agenda/exportar/", "/agenda/mi-agenda/"])
def test_a_date_at_the_end_of_time_shows_this_month_instead_of_a_500(client_as, nina, path, query):
    response = client_as(nina).get(f"{path}?{query}")
    assert response.status_code == 200
    if path != "/agenda/exportar/":
        assert response.context["anchor"] == timezone.localdate()
