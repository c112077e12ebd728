"""Settings for Booth Samvad, read from environment variables.

Everything a deployment changes comes from the environment (see README.md).
Without `DATABASE_URL` the app runs on an embedded SQLite file; without
`REDIS_URL` Celery uses an embedded filesystem broker, so a first run needs
no server.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Local state of the embedded defaults (SQLite file, filesystem broker).
RUN_DIR = BASE_DIR / env.str("RUN_DIR", default=".run")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG=true allows a development key)."
        )
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - DEBUG only

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
    "booths",
    "campaigns",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    DATABASES["default"]["OPTIONS"].setdefault("options", f"-c jit={env.str('POSTGRES_JIT', default='off')}")
# Opening a PostgreSQL connection costs ~12 ms of CPU: keep connections (MACHINE-NOTES).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "booths.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "booths.auth.MobileNumberBackend",  # callers sign in with their mobile number
]
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

# Messages to callers. MESSAGE_BACKEND: console (prints), outbox (stores only),
# sms (an Indian bulk-SMS gateway under DLT), whatsapp (Cloud API), or a dotted path.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
MESSAGE_BACKEND = env.str("MESSAGE_BACKEND", default="console")
MESSAGE_TEMPLATES = env.json("MESSAGE_TEMPLATES", default={})  # replaces the default templates, kind by kind
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
}
WHATSAPP = {
    "url": env.str("WHATSAPP_API_URL", default="https://graph.facebook.com/v20.0"),
    "phone_number_id": env.str("WHATSAPP_PHONE_NUMBER_ID", default=""),
    "token": env.str("WHATSAPP_TOKEN", default=""),
    "timeout": env.float("WHATSAPP_TIMEOUT", default=10.0),
}
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="booth-samvad@localhost")

# The state a roster file means when it has no `state` column.
DEFAULT_STATE_CODE = env.str("DEFAULT_STATE_CODE", default="UP")

PHONENUMBER_DEFAULT_REGION = "IN"
PHONENUMBER_DB_FORMAT = "E164"

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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Celery: Redis when REDIS_URL is set, else a filesystem broker that needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
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
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
