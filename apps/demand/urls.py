from django.urls import path

from apps.demand import views

app_name = "demand"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("nueva/", views.create, name="create"),
    path("bandeja/", views.inbox, name="inbox"),
    path("bandeja/exportar/", views.export, name="export"),
    path("resumen/", views.summary, name="summary"),
    path("avisos/", views.notifications, name="notifications"),
    path("avisos/leidos/", views.notifications_read, name="notifications_read"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/editar/", views.edit, name="edit"),
    path("<int:pk>/estado/", views.transition, name="transition"),
    path("<int:pk>/mensajes/", views.message, name="message"),
]
