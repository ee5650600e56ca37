from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.territory.models import Department, Municipality, NationalEntity


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "departments": Department.objects.count(),
        "municipalities": Municipality.objects.count(),
        "entities": NationalEntity.objects.count(),
    }
    return render(request, "core/home.html", context)


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
