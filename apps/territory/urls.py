from django.urls import path

from apps.territory import views

app_name = "territory"
urlpatterns = [
    path("departamentos/", views.departments, name="departments"),
    path("departamentos/<str:code>/", views.department, name="department"),
    path("municipios/sugerir/", views.municipality_suggest, name="municipality_suggest"),
    path("municipios/<str:code>/", views.municipality, name="municipality"),
    path("entidades/", views.entities, name="entities"),
    path("entidades/<str:acronym>/", views.entity, name="entity"),
]
