from django.urls import path

from apps.territory import views, views_handover

app_name = "territory"
urlpatterns = [
    path("departamentos/", views.departments, name="departments"),
    path("departamentos/<str:code>/", views.department, name="department"),
    path("departamentos/<str:code>/empalme/", views_handover.department_handover, name="department_handover"),
    path("municipios/sugerir/", views.municipality_suggest, name="municipality_suggest"),
    path("municipios/<str:code>/", views.municipality, name="municipality"),
    path("municipios/<str:code>/empalme/", views_handover.municipality_handover, name="municipality_handover"),
    path("entidades/", views.entities, name="entities"),
    path("entidades/<str:acronym>/", views.entity, name="entity"),
]
