from django.urls import path
from django.views.generic import RedirectView

from apps.core.decorators import login_required
from apps.demand import views

app_name = "demand"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("nueva/", views.create, name="create"),
    path("bandeja/", views.inbox, name="inbox"),
    path("bandeja/exportar/", views.export, name="export"),
    path("resumen/", views.summary, name="summary"),
    # Avisos moved to the platform (core:notifications); old bookmarks still arrive.
    path("avisos/", login_required(RedirectView.as_view(pattern_name="core:notifications", permanent=True)),
         name="notifications"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/editar/", views.edit, name="edit"),
    path("<int:pk>/estado/", views.transition, name="transition"),
    path("<int:pk>/mensajes/", views.message, name="message"),
]
