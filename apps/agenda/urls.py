from django.urls import path

from apps.agenda import views
from apps.knowledge import views_commitments

app_name = "agenda"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("mi-agenda/", views.mine, name="mine"),
    path("exportar/", views.export, name="export"),
    path("jornadas/nueva/", views.event_new, name="event_new"),
    path("jornadas/<int:pk>/", views.event, name="event"),
    path("jornadas/<int:pk>/editar/", views.event_edit, name="event_edit"),
    path("jornadas/<int:pk>/estado/", views.event_transition, name="event_transition"),
    path("jornadas/<int:pk>/ics/", views.event_ics, name="event_ics"),
    path("jornadas/<int:pk>/compromisos/", views_commitments.event_commitments, name="event_commitments"),
    path("sugerencias/aceptar/", views.match_accept, name="match_accept"),
    path("cruces/", views.conflicts, name="conflicts"),
    path("cruces/unir/", views.conflict_merge, name="conflict_merge"),
    path("periodos/", views.periods, name="periods"),
    path("periodos/<int:pk>/publicar/", views.period_publish, name="period_publish"),
    path("ical/<str:token>.ics", views.feed, name="feed"),
    path("calendario/", views.feed_settings, name="feed_settings"),
]
