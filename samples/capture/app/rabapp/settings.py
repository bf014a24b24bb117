"""Settings for the capture stack.

Mirrors the logging set-up of the user's project (shared/FORMATS.md): one formatter
'%(asctime)s %(levelname)s %(name)s %(message)s'; django.request/django.security at ERROR to
logs/django_errors.log; logger auth_debug to logs/auth_debug.log; both also to the console
(stderr, which capture.sh redirects to logs/runserver_8000.err.log). django.server keeps
Django's default '[dd/Mon/YYYY HH:MM:SS] "GET ..." 200 N' request lines.

Every knob a scenario changes comes from an environment variable (CAP_*), set by capture.sh.
"""
import os

import psycopg2.extensions
import psycopg2.extras

E = os.environ.get
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOG_DIR = E("CAP_LOG_DIR", os.path.join(BASE_DIR, "logs"))

# psycopg2 "green" wait callback, as in the reference stack: a PgBouncer pool error then
# reaches Django as 'OperationalError: FATAL:  query_wait_timeout' + 'server closed the
# connection unexpectedly'.
psycopg2.extensions.set_wait_callback(psycopg2.extras.wait_select)

SECRET_KEY = "capture-stack-not-a-secret"
DEBUG = E("CAP_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",  # allauth 0.51's login.html loads its template tags
    "rabapp",
]
SITE_ID = 1

MIDDLEWARE = [
    "rabapp.middleware.AuthDebugMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "rabapp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": E("CAP_DB_NAME", "rabdb"),
        "USER": E("CAP_DB_USER", "rabapp"),
        "PASSWORD": E("CAP_DB_PASSWORD", "rabapp-test"),
        "HOST": "127.0.0.1",
        "PORT": E("CAP_DB_PORT", "56432"),  # PgBouncer, not PostgreSQL
        "CONN_MAX_AGE": 0,
        # transaction pooling: no server-side cursors
        "DISABLE_SERVER_SIDE_CURSORS": True,
    }
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Fast hasher (Django's own advice for test set-ups): PBKDF2's 260k rounds made each login POST
# cost seconds of CPU on a busy 2-core machine and the captures depended on machine load.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ACCOUNT_AUTHENTICATION_METHOD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_ATTEMPTS_LIMIT = int(E("CAP_LOGIN_ATTEMPTS_LIMIT", "5"))
ACCOUNT_LOGIN_ATTEMPTS_TIMEOUT = int(E("CAP_LOGIN_ATTEMPTS_TIMEOUT", "300"))
ACCOUNT_LOGOUT_ON_GET = False
LOGIN_REDIRECT_URL = "/dashboard/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/accounts/login/"
# allauth's rate limiter lives in the cache: one runserver process, so local memory is enough
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = E("CAP_LANGUAGE_CODE", "en")
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
# On Linux Django sets the process TZ from TIME_ZONE, so every asctime is WIB (UTC+7), naive.
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_L10N = True
USE_TZ = True
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Endpoint timings (seconds) used by rabapp.views
CAP_SLEEP = {
    "dashboard": float(E("CAP_SLEEP_DASHBOARD", "0")),
    "rekap": float(E("CAP_SLEEP_REKAP", "0.05")),
    "validate": float(E("CAP_SLEEP_VALIDATE", "0.05")),
    "pricing": float(E("CAP_SLEEP_PRICING", "0.02")),
    "export_db": float(E("CAP_SLEEP_EXPORT_DB", "0.1")),
}
CAP_EXPORT_RENDER = tuple(float(x) for x in E("CAP_EXPORT_RENDER", "0.5:1.5").split(":"))

FMT = "%(asctime)s %(levelname)s %(name)s %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"standard": {"format": FMT}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "standard", "level": "DEBUG"},
        "errors_file": {
            "class": "logging.FileHandler",
            "filename": os.path.join(LOG_DIR, "django_errors.log"),
            "formatter": "standard",
            "level": "ERROR",
            "encoding": "utf-8",
        },
        "auth_file": {
            "class": "logging.FileHandler",
            "filename": os.path.join(LOG_DIR, "auth_debug.log"),
            "formatter": "standard",
            "level": "DEBUG",
            "encoding": "utf-8",
        },
    },
    "loggers": {
        "django.request": {"handlers": ["errors_file", "console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["errors_file", "console"], "level": "ERROR", "propagate": False},
        "auth_debug": {"handlers": ["auth_file", "console"], "level": "DEBUG", "propagate": False},
    },
}
