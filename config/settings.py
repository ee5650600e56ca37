"""Agenda ATT settings: one module, driven by the environment.

With nothing set the site runs embedded: SQLite file, Celery eager, e-mail to the console,
DEBUG on. `DATABASE_URL` (PostgreSQL) and `REDIS_URL` (Celery broker and cache) switch to the
real components; `DJANGO_ENV=production` turns on the production profile.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env.str("DJANGO_ENV", default="local") == "production"

if PRODUCTION:
    # Fail loudly: a production site must never run on a guessable key.
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-only-agenda-att-key")

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    # No defaults in production: a missing host, address or mail server must stop the start, not
    # surface later as a 400 for every visitor or e-mails pointing at 127.0.0.1.
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    SITE_URL = env.str("SITE_URL")
else:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_URL = SITE_URL.rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "axes",
    "import_export",
    "csp",
    "apps.core",
    "apps.territory",
    "apps.accounts",
    "apps.offer",
    "apps.demand",
    "apps.agenda",
    "apps.monitoring",
    "apps.knowledge",
    "apps.surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path or the form: NUL and other control characters answer 400.
    "apps.core.middleware.RejectControlCharactersMiddleware",
    "apps.core.middleware.ApiNotFoundMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apps.core.navigation.context",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not IS_POSTGRES:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# django-axes: five wrong passwords lock the account+address pair for one hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per address, whatever its spelling (LOCK1@ANM.GOV.CO is lock1@anm.gov.co).
AXES_USERNAME_CALLABLE = "apps.accounts.authentication.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True

# API tokens (apps/accounts/authentication.py) stop working this long after they are issued, and
# at once when their owner changes the password or revokes them.
API_TOKEN_TTL = timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30))

LANGUAGE_CODE = "es-co"
LANGUAGES = [("es-co", _("Español (Colombia)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Bogota"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "max_retries": 1}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The one beat schedule; the DatabaseScheduler copies it into its PeriodicTask rows at start.
CELERY_BEAT_SCHEDULE = {
    "core: enviar avisos pendientes": {"task": "core.outbox_sweep", "schedule": 60.0},
    "encuestas: retomar importaciones interrumpidas": {"task": "surveys.batches_sweep", "schedule": 10 * 60.0},
    "agenda: recordatorios de jornadas": {"task": "agenda.reminders_due", "schedule": 15 * 60.0},
    "seguimiento: encuestas de seguimiento y recordatorios": {"task": "monitoring.followups_due",
                                                             "schedule": 5 * 60.0},
    "agenda: resumen semanal a coordinadores": {
        "task": "agenda.weekly_digest", "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "conocimiento: compromisos por vencer y vencidos": {"task": "knowledge.commitment_reminders",
                                                       "schedule": 60 * 60.0},
}

# The platform outbox (apps/core/outbox.py): a delivery holds its row for OUTBOX_LEASE_SECONDS;
# the sweep leaves fresh, unclaimed rows to their queued task for OUTBOX_SWEEP_GRACE_SECONDS.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_SWEEP_GRACE_SECONDS = env.int("OUTBOX_SWEEP_GRACE_SECONDS", default=120)
OUTBOX_SWEEP_BATCH = env.int("OUTBOX_SWEEP_BATCH", default=200)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST") if PRODUCTION and EMAIL_BACKEND.endswith("smtp.EmailBackend") else env.str(
    "EMAIL_HOST", default="localhost"
)
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Agenda ATT <no-responder@agenda-att.gov.co>")

REST_FRAMEWORK = {
    # Token first: an API call without credentials answers 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's three, with a JSON parser that answers a too-deeply nested body with 400, not 500.
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Tags per capability, public operations marked, error answers documented (apps/core/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "apps.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    # Counted in the default cache (Redis in production). The token endpoint has its own, stricter
    # scope against password guessing (django-axes also locks accounts after failed logins).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "token": env.str("API_THROTTLE_TOKEN", default="10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Agenda ATT API",
    "DESCRIPTION": (
        "API de la agenda nacional de Asistencia Técnica Territorial (DNP, Colombia). "
        "Las operaciones marcadas **Público** no piden autenticación; las demás, un token "
        f"(`Authorization: Token …`, de `POST /api/v1/auth/token/`) o la sesión del sitio: [{SITE_URL}]({SITE_URL}/)."
    ),
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "apps.core.openapi.schema_postprocess"],
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps have a "status"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "ServiceStatusEnum": "apps.offer.models.Service.Status",
        "NeedStatusEnum": "apps.demand.models.Status",
        "CapacityEnum": "apps.core.vocabulary.Capacity",
        "EventStatusEnum": "apps.agenda.models.Event.Status",
        "EventKindEnum": "apps.agenda.models.Event.Kind",
    },
}

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
SURVEY_UPLOAD_MAX_BYTES = env.int("SURVEY_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
# An import RUNNING or QUEUED longer than this lost its worker or its message: the sweep requeues it.
SURVEY_IMPORT_STALE_MINUTES = env.int("SURVEY_IMPORT_STALE_MINUTES", default=30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The agenda (apps/agenda): events of several providers in one territory within this many days
# are a conflict; a need radicada this many days without an event is flagged as waiting.
AGENDA_CONFLICT_WINDOW_DAYS = env.int("AGENDA_CONFLICT_WINDOW_DAYS", default=15)
AGENDA_WAITING_DAYS = env.int("AGENDA_WAITING_DAYS", default=30)

# Monitoring indicators (apps/monitoring/indicators.py): on PostgreSQL the figures are cached until
# anything they read is written (a trigger-moved sequence keys them); 0 turns the cache off.
MONITORING_INDICATORS_CACHE_SECONDS = env.int("MONITORING_INDICATORS_CACHE_SECONDS", default=600)

# The guidelines library (apps/knowledge): the largest file a guideline version may have.
KNOWLEDGE_UPLOAD_MAX_BYTES = env.int("KNOWLEDGE_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "apps.core.errors.csrf_failure"
# Scripts only from this site (htmx, Swagger UI's sidecar files and its init script, served apart);
# inline style attributes stay allowed (bar widths, small layout tweaks), inline scripts never.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb",
    )
}
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # One line per task is noise locally (eager tasks log inside web requests); workers can raise it.
        "celery.app.trace": {"level": env.str("CELERY_TASK_LOG_LEVEL", default="WARNING")},
    },
}
