from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.core import outbox, selectors
from apps.core.decorators import login_required, public
from apps.territory.models import Department, Municipality, NationalEntity


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "departments": Department.objects.count(),
        "municipalities": Municipality.objects.count(),
        "entities": NationalEntity.objects.count(),
    }
    return render(request, "core/home.html", context)


@public
@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"org": request.user.organization})


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any broker failure is a state to report
        return f"error: {exc.__class__.__name__}"


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: anyone gets the status (and 503 when unhealthy); only staff get
    the database engine and which check failed with which exception class."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as exc:  # noqa: BLE001
        database = f"error: {exc.__class__.__name__}"
    broker = _broker_state()
    healthy = database == "ok" and broker in ("ok", "eager")
    body = {"status": "ok" if healthy else "error"}
    if request.user.is_authenticated and request.user.is_staff:
        body |= {"database": database, "broker": broker, "database_engine": connection.vendor}
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """*Avisos*: the person's own notices, newest first."""
    page = Paginator(selectors.notification_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    outbox.notifications_mark_read(user=request.user)
    return redirect("core:notifications")


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of my notices read and go to what it is about; someone else's answers 404."""
    notice = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    outbox.notifications_mark_read(user=request.user, ids=[notice.pk])
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
        return redirect(notice.link)
    return redirect("core:notifications")
