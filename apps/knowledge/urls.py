from django.urls import path

from apps.knowledge import urls_practices, urls_workshops, views_commitments

app_name = "knowledge"
urlpatterns: list = [
    path("compromisos/", views_commitments.commitments, name="commitments"),
    path("compromisos/mios/", views_commitments.commitments_mine, name="commitments_mine"),
    path("compromisos/exportar/", views_commitments.commitments_export, name="commitments_export"),
    path("compromisos/importar/", views_commitments.commitments_import, name="commitments_import"),
    path("compromisos/<int:pk>/", views_commitments.commitment, name="commitment"),
    path("compromisos/<int:pk>/estado/", views_commitments.commitment_status, name="commitment_status"),
    *urls_practices.urlpatterns,  # practices, lessons, guidelines, search
    *urls_workshops.urlpatterns,  # workshops and the PATT tree
]
