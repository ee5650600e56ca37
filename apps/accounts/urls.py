from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from apps.accounts import views
from apps.accounts.forms import PasswordResetForm, SetPasswordForm
from apps.core.decorators import login_required, public

app_name = "accounts"
urlpatterns = [
    path("ingresar/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("salir/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "contrasena/olvido/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html", form_class=PasswordResetForm,
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path("contrasena/olvido/enviado/",
         auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
         name="password_reset_done"),
    path(
        "contrasena/nueva/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html", form_class=SetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path("contrasena/nueva/lista/",
         auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
         name="password_reset_complete"),
    path("contrasena/cambiar/", login_required(views.PasswordChangeView.as_view()), name="password_change"),
    path("contrasena/cambiada/",
         login_required(auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")),
         name="password_change_done"),
    path("token/revocar/", views.token_revoke, name="token_revoke"),
    path("organizacion/", views.my_organization, name="my_organization"),
    path("organizaciones/<int:pk>/", views.organization, name="organization"),
    path("organizaciones/<int:pk>/editar/", views.organization_edit, name="organization_edit"),
    path("personas/importar/", views.users_import, name="users_import"),
]
