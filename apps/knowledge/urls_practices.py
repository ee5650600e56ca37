"""URLs of practices, lessons, guidelines, "¿Quién resolvió esto antes?" and the search (namespace
`knowledge`, included by apps/knowledge/urls.py)."""

from django.urls import path

from apps.knowledge import views_practices as views

urlpatterns = [
    path("practicas/", views.practices, name="practices"),
    path("practicas/nueva/", views.practice_create, name="practice_create"),
    path("practicas/<int:pk>/", views.practice, name="practice"),
    path("practicas/<int:pk>/editar/", views.practice_edit, name="practice_edit"),
    path("quien-resolvio/", views.who_solved, name="who_solved"),
    path("orientaciones/", views.guidelines, name="guidelines"),
    path("orientaciones/nueva/", views.guideline_create, name="guideline_create"),
    path("orientaciones/<int:pk>/", views.guideline, name="guideline"),
    path("orientaciones/<int:pk>/editar/", views.guideline_edit, name="guideline_edit"),
    path("orientaciones/<int:pk>/nueva-version/", views.guideline_version_add, name="guideline_version_add"),
    path("orientaciones/<int:pk>/v<int:number>/archivo/", views.guideline_file, name="guideline_file"),
    path("buscar/", views.search, name="search"),
]
