from django.urls import path

from apps.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("acerca/", views.about, name="about"),
    path("inicio/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("avisos/", views.notifications, name="notifications"),
    path("avisos/leidos/", views.notifications_read, name="notifications_read"),
    path("avisos/<int:pk>/", views.notification_open, name="notification_open"),
]
