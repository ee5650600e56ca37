from django.urls import path

from apps.offer import views

app_name = "offer"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:pk>/", views.service_detail, name="service"),
    path("nuevo/", views.service_new, name="create"),
    path("<int:pk>/editar/", views.service_edit, name="edit"),
    path("<int:pk>/publicar/", views.service_publish_view, name="publish"),
    path("<int:pk>/archivar/", views.service_archive_view, name="archive"),
    path("<int:pk>/borrador/", views.service_redraft_view, name="redraft"),
    path("<int:pk>/eliminar/", views.service_delete_view, name="delete"),
    path("mis-servicios/", views.my_services, name="mine"),
    path("exportar/<str:fmt>/", views.export, name="export"),
    path("importar/", views.service_import, name="import"),
]
