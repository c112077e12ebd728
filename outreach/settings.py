"""Settings for Booth Samvad, read from environment variables.

Everything a deployment changes comes from the environment (see README.md).
Without `DATABASE_URL` the app runs on an embedded SQLite file; without
`REDIS_URL` Celery uses an embedded filesystem broker, so a first run needs
no server.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Local state of the embedded defaults (SQLite file, filesystem broker).
RUN_DIR = BASE_DIR / env.str("RUN_DIR", default=".run")
# The first `make run` writes a development .env there (DEBUG=true and a random
# SECRET_KEY), so commands typed in another shell find the same settings. The
# environment wins over it; production has no such file and sets its own.
if (RUN_DIR / ".env").is_file():
    environ.Env.read_env(RUN_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (`make run` writes a development one to "
            f"{RUN_DIR / '.env'})."
        )
    # A key of this process alone: no fixed development key anyone could sign links with.
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "outreach.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "phonenumber_field",
    "django_celery_beat",
    "axes",
    "csp",
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API docs' Swagger UI, served by the app (no CDN)
    "booths",
    "campaigns",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # the history's "changed by"
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "api.middleware.ApiConditionalGetMiddleware",  # before gzip on the way out: the ETag of the plain body
    "outreach.middleware.permissions_policy",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a rate limit's answer: RATELIMIT_VIEW
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into its page
]

ROOT_URLCONF = "outreach.urls"
WSGI_APPLICATION = "outreach.wsgi.application"
ASGI_APPLICATION = "outreach.asgi.application"

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
                "campaigns.context_processors.caller",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is set, else an embedded SQLite file.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": RUN_DIR / "db.sqlite3",
            "OPTIONS": {
                # The web server, the Celery worker and beat share this file: WAL lets
                # readers run beside one writer, IMMEDIATE transactions avoid
                # "database is locked" when a read turns into a write.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL compiles a query with JIT once its estimated cost is high; for the
    # dashboards' GROUP BYs over a state that compilation took longer (0.3-0.7 s)
    # than running them, so it is off unless asked for.
    DATABASES["default"].setdefault("OPTIONS", {})
    # The caller's pages prepare their statements once a connection (outreach.prepared);
    # a generic plan keeps PostgreSQL from planning them again on every execution
    # (their plans are index lookups whatever the values). Only those statements are
    # prepared: Django's own queries are not.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c jit={env.str('POSTGRES_JIT', default='off')} -c plan_cache_mode=force_generic_plan"
    )
# Opening a PostgreSQL connection costs ~12 ms of CPU: keep connections (MACHINE-NOTES).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "booths.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account before any password hash
    "booths.auth.MobileNumberBackend",  # usernames, and callers' mobile numbers however typed
]
# Password sign-in (the site's and the admin's): after AXES_FAILURE_LIMIT wrong
# passwords for one account (its mobile however written) it is locked for
# AXES_COOLOFF_MINUTES; every attempt is kept in the admin. Per account, not per
# address: mobile carriers put thousands of phones behind one address (CGNAT).
# The address is limited separately, more loosely (LOGIN_RATE_PER_IP below).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "booths.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "outreach.ratelimits.locked_out"
AXES_CLIENT_IP_CALLABLE = "outreach.ratelimits.client_ip"
# Proxies of our own in front of the app (the TLS proxy): the client's address is
# the one they add to X-Forwarded-For. 0: the app is reached directly.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
# Requests a minute from one address: password sign-in, sign-in links, password reset.
LOGIN_RATE_PER_IP = env.str("LOGIN_RATE_PER_IP", default="30/m")
SIGNIN_LINK_RATE_PER_IP = env.str("SIGNIN_LINK_RATE_PER_IP", default="30/m")
PASSWORD_RESET_RATE_PER_IP = env.str("PASSWORD_RESET_RATE_PER_IP", default="5/m")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Hindi and English ship together; Hindi is the default.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="hi")
LANGUAGES = [("hi", _("Hindi")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True
# Indian dates ("28 नवंबर 2026") and digit grouping (1,63,000).
FORMAT_MODULE_PATH = ["outreach.formats"]

# The daily calls: how many booth presidents each caller gets, and how long after
# the end of a day (IST) an assignment without a logged outcome counts as missed.
CALLS_PER_CALLER = env.int("CALLS_PER_CALLER", default=2)
MISSED_GRACE_HOURS = env.int("MISSED_GRACE_HOURS", default=2)
# A run of the assignment still "running" after this long was killed: marked failed.
ASSIGNMENT_RUN_STALE_MINUTES = env.int("ASSIGNMENT_RUN_STALE_MINUTES", default=30)

# Campaigns: a unit's reported share is judged against the calls only from this
# many answers on (below it: "too few answers"). CAMPAIGN_TARGETING: the share
# (0-1) of the picks of callers with several districts that go to districts whose
# report the calls doubt (over-reported, or too few answers yet); 0 turns it off.
CAMPAIGN_MIN_ANSWERS = env.int("CAMPAIGN_MIN_ANSWERS", default=10)
CAMPAIGN_TARGETING = env.float("CAMPAIGN_TARGETING", default=0.5)
# A tiffin meeting recorded held is doubted when even the top of the 95 % range
# of its mandal's presidents confirming it (asked in calls) is under this share.
TIFFIN_CONFIRM_EXPECTED = env.float("TIFFIN_CONFIRM_EXPECTED", default=0.5)

# Messages to callers. MESSAGE_BACKEND: console (prints), outbox (stores only),
# sms (an Indian bulk-SMS gateway under DLT), whatsapp (Cloud API), or a dotted path.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
MESSAGE_BACKEND = env.str("MESSAGE_BACKEND", default="console" if DEBUG else "")
MESSAGE_TEMPLATES = env.json("MESSAGE_TEMPLATES", default={})  # replaces the default templates, kind by kind
# Delivery: attempts before a message fails (backoff 1, 2, 4... minutes between them);
# a queued or retrying message still waiting this many minutes after it was due lost
# its task (a broker restart, a crash before it was queued) and is queued again; a
# message taken for sending without a result after the timeout becomes "unknown".
MESSAGE_MAX_ATTEMPTS = env.int("MESSAGE_MAX_ATTEMPTS", default=5)
MESSAGE_REQUEUE_AFTER_MINUTES = env.int("MESSAGE_REQUEUE_AFTER_MINUTES", default=5)
MESSAGE_SENDING_TIMEOUT_MINUTES = env.int("MESSAGE_SENDING_TIMEOUT_MINUTES", default=10)
SMS_GATEWAY = {
    "url": env.str("SMS_GATEWAY_URL", default=""),
    "auth_header": env.str("SMS_GATEWAY_AUTH_HEADER", default="Authorization"),
    "auth_value": env.str("SMS_GATEWAY_AUTH", default=""),
    "sender": env.str("SMS_SENDER_ID", default=""),
    "pe_id": env.str("SMS_DLT_PE_ID", default=""),
    "format": env.str("SMS_GATEWAY_FORMAT", default="json"),
    "number_format": env.str("SMS_NUMBER_FORMAT", default="91"),
    "body": env.json(
        "SMS_GATEWAY_BODY",
        default={
            "sender": "{sender}",
            "route": "dlt",
            "pe_id": "{pe_id}",
            "template_id": "{template_id}",
            "to": "{to}",
            "message": "{text}",
            "unicode": "1",
        },
    ),
    "id_field": env.str("SMS_GATEWAY_ID_FIELD", default="message_id"),
    "success_field": env.str("SMS_GATEWAY_SUCCESS_FIELD", default=""),
    "success_value": env.str("SMS_GATEWAY_SUCCESS_VALUE", default="success"),
    "timeout": env.float("SMS_GATEWAY_TIMEOUT", default=10.0),
    # A header the gateway reads as an idempotency key (the same key twice sends
    # once). With it, a request that timed out is retried with the same key; without
    # it such a message is marked "unknown" and never blindly sent twice.
    "idempotency_header": env.str("SMS_GATEWAY_IDEMPOTENCY_HEADER", default=""),
}
WHATSAPP = {
    "url": env.str("WHATSAPP_API_URL", default="https://graph.facebook.com/v20.0"),
    "phone_number_id": env.str("WHATSAPP_PHONE_NUMBER_ID", default=""),
    "token": env.str("WHATSAPP_TOKEN", default=""),
    "timeout": env.float("WHATSAPP_TIMEOUT", default=10.0),
}
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend" if DEBUG else "")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Production never falls back to printing: the console backends would write every
# caller's number, name and sign-in link, and password-reset links, to the logs
# and send nothing. With DEBUG off both are left empty unless set, and the web
# app and the worker refuse to start without them (outreach/startup.py).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="booth-samvad@localhost")

# Uploads: a request body (other than files) is held in memory up to 2.5 MB; a
# file larger than UPLOAD_MAX_MB is refused before its body is read (the upload
# handler in booths/uploads.py); a spreadsheet of more than ROSTER_MAX_ROWS rows,
# or an .xlsx that unpacks to more than ROSTER_MAX_UNZIPPED_MB, before it is parsed.
# (UP's whole roster: 163,000 rows, ~47 MB of CSV, ~60 MB unpacked as XLSX.)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "booths.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=50)
ROSTER_MAX_ROWS = env.int("ROSTER_MAX_ROWS", default=300_000)
ROSTER_MAX_UNZIPPED_MB = env.int("ROSTER_MAX_UNZIPPED_MB", default=300)
# An upload's check or import runs in the Celery worker and gives a sign of life
# every second (on SQLite not while it writes); one silent for this long is marked
# failed: its worker stopped, or none took it.
ROSTER_UPLOAD_STALE_MINUTES = env.int("ROSTER_UPLOAD_STALE_MINUTES", default=10)
ROSTER_UPLOAD_PROGRESS_SECONDS = env.float("ROSTER_UPLOAD_PROGRESS_SECONDS", default=1.0)  # how often it is written
# Days an uploaded file and its rows with errors are kept (a nightly job clears them).
RETENTION_DAYS = env.int("RETENTION_DAYS", default=90)

# The state a roster file means when it has no `state` column.
DEFAULT_STATE_CODE = env.str("DEFAULT_STATE_CODE", default="UP")

PHONENUMBER_DEFAULT_REGION = "IN"
PHONENUMBER_DB_FORMAT = "E164"

# Uploaded files (tiffin meetings' photos). Never served as public files: a view
# shows each photo to those who may see its meeting.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=RUN_DIR / "media")
MEDIA_URL = "media/"
TIFFIN_PHOTO_MAX_MB = env.int("TIFFIN_PHOTO_MAX_MB", default=8)

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# Security: strict by default, relaxed only where DEBUG needs it.
# Behind a TLS proxy that sets X-Forwarded-Proto (and strips it from clients): the
# app must then be reachable only through that proxy (compose publishes it on
# 127.0.0.1), or anyone could claim https.
if env.bool("BEHIND_TLS_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise to browsers that is slow to take back: only when asked.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Pages carry sign-in links and follow-up ids in their URLs: never tell other sites.
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy: everything from this site, no inline script or style,
# no frames, forms posting here only (the admin needs nothing more).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Features no page uses, switched off for every page (outreach/middleware.py).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# REST API v1 (app `api`): the pages' session or a token (`Authorization: Token <key>`).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per signed-in account and per address of the anonymous; counted in the cache
    # (Redis when there is one, shared by every worker).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_RATE_PER_USER", default="120/min"),
        "anon": env.str("API_RATE_PER_IP", default="20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Booth Samvad API",
    "DESCRIPTION": "A caller's day (calls, logging them, history) and the follow-ups of their districts.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CallStatusEnum": "campaigns.models.CallAssignment.Status",
        "FollowUpStatusEnum": "campaigns.models.FollowUp.Status",
    },
}

# Celery: Redis when REDIS_URL is set, else a filesystem broker that needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
# The cache counts requests for the rate limits: Redis, shared by every process,
# when there is one; else each process's memory (a first run on one machine:
# the limits then hold per process).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_VIEW = "outreach.ratelimits.too_many"
# django-ratelimit knows Django's own Redis cache as "not officially supported"
# (it is atomic); memory is not shared between processes: said above.
# axes warns when it does not count per address: here the address is limited by
# django-ratelimit instead (LOGIN_RATE_PER_IP), so CGNAT users are not locked out together.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003", "axes.W006"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default ignores the covering columns of an index (INCLUDE): a
    # PostgreSQL optimisation, harmless here; a first run need not warn of it.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
if not SECURE_HSTS_PRELOAD:
    # Django asks for preloading; it is a deployment's own decision (see above).
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 60 * 60}
else:
    CELERY_BROKER_DIR = RUN_DIR / "celery-broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for the next one
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"masked_links": {"()": "outreach.gunicorn_logging.MaskedLinksFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["masked_links"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers replaced by ours (one line each, links masked).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
