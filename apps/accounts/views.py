from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts import services
from apps.accounts.authentication import token_expires_at, token_is_expired
from apps.accounts.forms import OrganizationContactForm, PasswordChangeForm, UsersImportForm
from apps.accounts.permissions import can_edit_organization
from apps.accounts.selectors import organization_get, token_get
from apps.accounts.services import organization_update_contact, users_import_csv
from apps.core.decorators import coordinator_required, login_required


@login_required
def my_organization(request: HttpRequest) -> HttpResponse:
    if request.user.organization_id is None:
        raise Http404
    return redirect("accounts:organization", pk=request.user.organization_id)


@login_required
def organization(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get(user=request.user, pk=pk)
    return render(
        request, "accounts/organization.html",
        {"org": org, "members": org.members.filter(is_active=True).order_by("email"),
         "can_edit": can_edit_organization(request.user, org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get(user=request.user, pk=pk)
    if not can_edit_organization(request.user, org):
        raise Http404
    form = OrganizationContactForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            organization_update_contact(organization=org, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, _("Datos de contacto guardados."))
        return redirect(org)
    return render(request, "accounts/organization_edit.html", {"org": org, "form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def users_import(request: HttpRequest) -> HttpResponse:
    form = UsersImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = users_import_csv(
            actor=request.user, content=form.cleaned_data["file"].read(), dry_run=form.cleaned_data["dry_run"]
        )
        if not result.errors and not form.cleaned_data["dry_run"]:
            messages.success(request, _(
                "Se crearon %(n)d personas. Quienes no traían contraseña recibirán un correo para crearla."
            ) % {"n": len(result.created)})
            return redirect("accounts:users_import")
    return render(request, "accounts/users_import.html", {"form": form, "result": result})


class PasswordChangeView(auth_views.PasswordChangeView):
    """The person's own access: their password and, below it, their API token (to revoke)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = token_get(user=self.request.user)
        if token is not None:
            context["api_token"] = {
                "created": token.created, "expires": token_expires_at(token), "expired": token_is_expired(token),
            }
        return context


@login_required
@require_http_methods(["POST"])
def token_revoke(request: HttpRequest) -> HttpResponse:
    if services.token_revoke(user=request.user):
        messages.success(request, _("Token de la API revocado: los programas que lo usaban ya no entran."))
    else:
        messages.info(request, _("No tenía un token de la API."))
    return redirect("accounts:password_change")
