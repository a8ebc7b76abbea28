"""Simpul settings. Every value that differs between machines comes from the environment (.env.example)."""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from simpul.local_keys import local_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIMPUL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite file must have somewhere to live


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# Fernet keys for secrets at rest (simpul.encrypted), newest first; default: derived from SECRET_KEY.
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS", "")

_PUBLISHED_DEV_KEY = "insecure-dev-key-only-for-debug-mode"  # the dev key of earlier versions: public
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # The embedded default (`make run`) makes its own random keys once, under var/ and readable by its owner
    # only: a key written in the source would sign every demo box's sessions and reset links, and decrypt
    # every secret in its database and backups.
    SECRET_KEY = local_key(VAR_DIR / "secret.key", lambda: secrets.token_urlsafe(50))
    if not ENCRYPTION_KEYS:
        ENCRYPTION_KEYS = [local_key(VAR_DIR / "encryption.key", lambda: Fernet.generate_key().decode())]
elif not DEBUG and (SECRET_KEY == _PUBLISHED_DEV_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 32 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "simpul.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "simpul",  # its static files and the backup/restore commands
    "accounts",
    "assets",
    "monitoring",
    "monitoring.metrics",
    "maintenance",
    "alerts",
    "rollcalls",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "simpul.csp.content_security_policy_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, precompressed by the storage below
    "simpul.compression.TextGZipMiddleware",  # after WhiteNoise, whose files are compressed already
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.language.user_language_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Failed logins (web and token) are recorded and logged by django-axes; after AXES_FAILURE_LIMIT failures
# a username from one address is locked out for AXES_COOLOFF_TIME. Passwords use Django's validators.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_CLIENT_IP_CALLABLE = "simpul.client_ip.client_ip"

# Reverse proxies in front of Simpul that append the client's address to X-Forwarded-For. 0: the header is
# the client's own word and ignored; the connection's address identifies the client (simpul.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

ROOT_URLCONF = "simpul.urls"
WSGI_APPLICATION = "simpul.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "simpul.navigation.navigation",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; production sets DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'simpul.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # a request writes all or nothing
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web app read while the poller writes; IMMEDIATE avoids lock upgrades that fail.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if "TEST" not in DATABASES["default"]:
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA; storage stays UTC
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

LOGIN_URL = "login"
# Background map tiles for the agency map; empty for none (offline sites, tests). Markers never depend on it.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
LOGIN_REDIRECT_URL = "/"
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(8 * 1024 * 1024)))  # one phone photo
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# What users send in, and where Simpul sends out (README, "Configuration"):
# a photo decodes to at most this many pixels;
MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", str(40_000_000)))
# photos are served by a scoped view; behind nginx it hands the bytes over with X-Accel-Redirect to this
# internal location (empty: Django streams the file itself);
MEDIA_ACCEL_REDIRECT_PREFIX = os.environ.get("MEDIA_ACCEL_REDIRECT_PREFIX", "")
# a spreadsheet import is bounded in bytes, in bytes once unzipped (XLSX), in rows and in wall time;
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
IMPORT_MAX_SECONDS = float(os.environ.get("IMPORT_MAX_SECONDS", "60"))
# webhooks never go to loopback, private, link-local, multicast or unspecified addresses, except into these
# networks (CIDRs, comma-separated), for a gateway that lives on a private network.
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS", "")
try:
    [ipaddress.ip_network(network, strict=False) for network in WEBHOOK_ALLOWED_NETWORKS]
except ValueError as error:
    raise ImproperlyConfigured(f"WEBHOOK_ALLOWED_NETWORKS: {error}") from None

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",  # in the person's language
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.RolePermission"],
    "DEFAULT_PARSER_CLASSES": [
        "simpul.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "simpul.renderers.ContentNegotiation",
    "DEFAULT_RENDERER_CLASSES": ["simpul.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "simpul.filters.FilterBackend",
        "simpul.ordering.NullsLastOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "simpul.pagination.Pagination",
    "PAGE_SIZE": int(os.environ.get("API_PAGE_SIZE", "50")),
    "DEFAULT_SCHEMA_CLASS": "simpul.schema.AutoSchema",
    "EXCEPTION_HANDLER": "simpul.api.exception_handler",
    # Only the token endpoint is throttled by default (accounts.api); the rest is behind login.
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("TOKEN_RATE", "20/min")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # DRF's own reading of X-Forwarded-For, for any throttle of its own
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Simpul API",
    "DESCRIPTION": "Inventory, monitoring and maintenance of the BPBD emergency communication network.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Bodies are documented as JSON (uploads as multipart, named per action): a form cannot say null,
    # a number or a list of objects, so forms stay a convenience of the browsable API.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # One schema name per choice set, so several fields called "kind" do not collide.
    "ENUM_NAME_OVERRIDES": {
        "AgencyLevelEnum": "assets.choices.AgencyLevel",
        "AssetKindEnum": "assets.choices.AssetKind",
        "AssetStatusEnum": "assets.choices.AssetStatus",
        "SiteKindEnum": "assets.choices.SiteKind",
        "PartnerKindEnum": "assets.models.Partner.Kind",
        "HealthStateEnum": "monitoring.choices.State",
        "SourceEnum": "monitoring.choices.Source",
        "EventKindEnum": "monitoring.choices.EventKind",
        "PollerHealthEnum": "monitoring.remote.health.PollerHealth",
        "WorkOrderKindEnum": "maintenance.choices.WorkOrderKind",
        "WorkOrderStatusEnum": "maintenance.choices.WorkOrderStatus",
        "PriorityEnum": "maintenance.choices.Priority",
        "LapseKindEnum": "assets.choices.LapseKind",
        "LicenceStatusEnum": "assets.choices.LicenceStatus",
        "AlertKindEnum": "alerts.choices.AlertKind",
        "AlertStateEnum": "alerts.choices.AlertState",
        "SeverityEnum": "alerts.choices.Severity",
        "ChannelKindEnum": "alerts.choices.ChannelKind",
        "AssetBucketEnum": "monitoring.asset_status.Bucket",
        "NotMonitoredReasonEnum": "monitoring.asset_status.Reason",
        "ReportStatusEnum": "reports.api.serializers.REPORT_STATUSES",
        "UpcomingStatusEnum": "reports.api.serializers.UPCOMING_STATUSES",
    },
}

# With DEBUG off the secure choices are the defaults; a reverse proxy terminating TLS sets X-Forwarded-Proto.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# One cache shared by the web workers and the poller on a machine (a directory under var/), or Redis for
# several machines: CACHE_URL=redis://127.0.0.1:6379/1. It holds the dashboard figures between cycles.
# Every key names the database it was computed from, so switching DATABASE_URL never shows another's data.
CACHES = {
    "default": {
        **(
            {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
            if os.environ.get("CACHE_URL")
            else {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(VAR_DIR / "cache"),
                # Past this many files Django deletes a third at random: the figures' own keys among them. Each
                # agency's page and each set of readers keep an entry per poll cycle (two minutes at most).
                "OPTIONS": {"MAX_ENTRIES": 10000},
            }
        ),
        "KEY_FUNCTION": "simpul.cache_keys.make_key",
    }
}

# Monitoring: raw samples are kept this long (hourly rollups forever); poll pacing and timeouts.
SAMPLE_RETENTION_DAYS = int(os.environ.get("SAMPLE_RETENTION_DAYS", "14"))
# Idempotency keys of offline actions (maintenance.idempotency): a phone resends within hours or days.
IDEMPOTENCY_KEEP_DAYS = int(os.environ.get("IDEMPOTENCY_KEEP_DAYS", "30"))
POLL_ICMP_COUNT = int(os.environ.get("POLL_ICMP_COUNT", "3"))
POLL_TIMEOUT_S = float(os.environ.get("POLL_TIMEOUT_S", "1.0"))
POLL_BATCH_LIMIT = int(os.environ.get("POLL_BATCH_LIMIT", "50000"))
SNMP_CONCURRENCY = int(os.environ.get("SNMP_CONCURRENCY", "200"))

# Remote pollers (monitoring/remote/PROTOCOL.md): plain HTTP is refused except from (centre) or to (poller)
# these networks; the ingest's limits per request and per poller; the poller's assignment refresh and spool.
POLLER_PLAIN_HTTP_NETWORKS = env_list("POLLER_PLAIN_HTTP_NETWORKS", "127.0.0.0/8,::1/128" if DEBUG else "")
try:
    POLLER_PLAIN_HTTP_NETWORKS = [ipaddress.ip_network(network, strict=False) for network in POLLER_PLAIN_HTTP_NETWORKS]
except ValueError as error:
    raise ImproperlyConfigured(f"POLLER_PLAIN_HTTP_NETWORKS: {error}") from None
POLLER_MAX_BATCH = int(os.environ.get("POLLER_MAX_BATCH", "5000"))
POLLER_MAX_BATCH_BYTES = int(os.environ.get("POLLER_MAX_BATCH_BYTES", str(4 * 1024 * 1024)))
POLLER_RATE = os.environ.get("POLLER_RATE", "600/min")
POLLER_ASSIGNMENT_REFRESH_S = float(os.environ.get("POLLER_ASSIGNMENT_REFRESH_S", "30"))
POLLER_SPOOL_MAX_ROWS = int(os.environ.get("POLLER_SPOOL_MAX_ROWS", "2000000"))
POLLER_SPOOL_MAX_DAYS = float(os.environ.get("POLLER_SPOOL_MAX_DAYS", "7"))
POLLER_SHIP_BATCH = int(os.environ.get("POLLER_SHIP_BATCH", "2000"))  # results per POST, oldest first
# On the centre: a poller not heard from for this long is silent (monitoring.remote.health); it reports at
# least every 20 s. Its assets show as unknown, and one alert names it.
POLLER_SILENT_AFTER_S = float(os.environ.get("POLLER_SILENT_AFTER_S", "180"))

# Celery (optional scale-out): beat hands each agency's due assets to a worker as one batch.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_DISPATCH_INTERVAL_S = float(os.environ.get("CELERY_DISPATCH_INTERVAL_S", "10"))
CELERY_BEAT_SCHEDULE = {
    "dispatch-polls": {"task": "monitoring.tasks.dispatch_polls", "schedule": CELERY_DISPATCH_INTERVAL_S},
    "monitoring-upkeep": {"task": "monitoring.tasks.upkeep", "schedule": 300.0},
    "maintenance-after-poll": {"task": "maintenance.tasks.maintenance_after_poll", "schedule": 60.0},
    "maintenance-hourly": {"task": "maintenance.tasks.maintenance_hourly", "schedule": 3600.0},
    "maintenance-lapse-reminders": {"task": "maintenance.tasks.maintenance_lapse_reminders", "schedule": 3600.0},
    "alerts-after-poll": {"task": "alerts.tasks.alerts_after_poll", "schedule": 10.0},
    "alerts-hourly": {"task": "alerts.tasks.alerts_hourly", "schedule": 3600.0},
    "rollcalls-flag-missed": {"task": "rollcalls.tasks.rollcalls_flag_missed", "schedule": 60.0},
}
# Called by the embedded poller with the time after each recorded cycle, and hourly: how later apps
# react to monitoring without monitoring importing them (data flows assets -> monitoring -> maintenance).
# Alerts first: maintenance sends its webhooks inline, and a slow one must not delay an alert.
# How many days of history `seed_kaltim` invents for the demo (tests ask for a week: it is 168,000 rollups).
DEMO_HISTORY_DAYS = max(int(os.environ.get("DEMO_HISTORY_DAYS", "90")), 7)
POLL_CYCLE_HOOKS = [
    "rollcalls.cycle.after_poll_cycle",  # before alerts: a missed roll call is told in the same cycle
    "alerts.cycle.after_poll_cycle",
    "maintenance.cycle.after_poll_cycle",
    "reports.dashboard.refresh_overview",
]
# Called without arguments when runpoller stops (SIGTERM), after its last cycle.
POLL_STOP_HOOKS = ["alerts.sender.stop"]
POLL_HOURLY_HOOKS = [
    "monitoring.metrics.walks.hourly",
    "monitoring.metrics.store.upkeep",
    "maintenance.cycle.hourly",
    "maintenance.reminders.hourly",
    "alerts.cycle.hourly",
]
# Days before a warranty, contract, licence, fee, battery or end of life lapses that its agency is reminded
# (each once); a licence is also reminded at its agency's renewal lead time.
try:
    LAPSE_REMINDER_DAYS = sorted({int(days) for days in env_list("LAPSE_REMINDER_DAYS", "90,60,30")}, reverse=True)
except ValueError:
    LAPSE_REMINDER_DAYS = []
if not LAPSE_REMINDER_DAYS or min(LAPSE_REMINDER_DAYS) < 1:
    raise ImproperlyConfigured("LAPSE_REMINDER_DAYS must list whole days above 0, e.g. 90,60,30.")
# Alerts: the address people open acknowledge links at; the embedded poller sends from a thread of its own
# (off: inline after each cycle), each pass at most ALERTS_SEND_BUDGET_S seconds.
ALERTS_BASE_URL = os.environ.get("ALERTS_BASE_URL", "http://127.0.0.1:8000")
ALERTS_SENDER_THREAD = env_bool("ALERTS_SENDER_THREAD", True)
ALERTS_SEND_BUDGET_S = float(os.environ.get("ALERTS_SEND_BUDGET_S", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "simpul@localhost")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
