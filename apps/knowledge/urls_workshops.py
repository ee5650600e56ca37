"""URLs of the workshops (talleres) and the PATT tree, included by apps/knowledge/urls.py."""

from django.urls import path

from apps.knowledge import views_workshops

urlpatterns = [
    path("talleres/", views_workshops.workshops, name="workshops"),
    path("talleres/nuevo/", views_workshops.workshop_new, name="workshop_new"),
    path("talleres/<slug:slug>/", views_workshops.workshop, name="workshop"),
    path("talleres/<slug:slug>/editar/", views_workshops.workshop_edit, name="workshop_edit"),
    path("arbol-de-problemas/", views_workshops.patt_tree, name="patt_tree"),
]
