from django.urls import path

from apps.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/resultados/", views.results, name="results"),
    path("<slug:slug>/resultados.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/importar/", views.upload, name="upload"),
    path("importaciones/<int:pk>/", views.batch, name="batch"),
    path("importaciones/<int:pk>/progreso/", views.batch_progress, name="batch_progress"),
    path("importaciones/<int:pk>/confirmar/", views.batch_confirm, name="batch_confirm"),
    path("importaciones/<int:pk>/descartar/", views.batch_discard, name="batch_discard"),
    path("importaciones/<int:pk>/rechazadas.csv", views.batch_rejected, name="batch_rejected"),
]
