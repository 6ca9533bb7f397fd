"""Settings for the Siping education work-plan portal.

Everything that differs between a laptop and production is read from the environment
(see the table in README.md). Without DATABASE_URL / REDIS_URL the portal runs on an
embedded SQLite database with Celery jobs executed in-process.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# Core

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README: Configuration)."
        )
    SECRET_KEY = "insecure-development-key-only-used-while-debug-is-on"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_htmx",
    "template_partials",
    "import_export",
    "django_celery_beat",
    "siping_edu.apps.AxesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "health_check",
    "django_prometheus",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "departments",
    "tasks",
    "tasks.intake",
    "reports",
    "ops",
]

MIDDLEWARE = [
    # First and last: request counts and latencies for /metrics (django-prometheus).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Before anything logs: every log line of the request carries the proxy's request id.
    "siping_edu.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "siping_edu.middleware.ChosenLanguageMiddleware",
    "siping_edu.middleware.DatabaseBusyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "siping_edu.middleware.SessionTimeoutMiddleware",
    "departments.two_factor.TwoFactorRequiredMiddleware",
    "siping_edu.middleware.PasswordChangeRequiredMiddleware",
    "departments.audit.AuditContextMiddleware",
    "siping_edu.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "siping_edu.urls"
WSGI_APPLICATION = "siping_edu.wsgi.application"

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
                "departments.context_processors.current_membership",
                "tasks.context_processors.navigation",
                "reports.context_processors.navigation",
            ],
        },
    },
]

# Database

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# django-prometheus's wrappers of the same engines count queries, errors and connections.
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
# Production keeps each worker's database connection for a minute instead of opening one per
# request (with a health check before reuse): it doubled the dashboard's throughput under load.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: a writer waits up to 20 s for another to finish instead of failing at
    # once with "database is locked", and takes the write lock when its transaction begins, so two
    # transactions cannot each hold a read lock and then both wait to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Authentication and object permissions

AUTHENTICATION_BACKENDS = [
    # First: refuses a login for a username and address locked out by failed attempts.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)}},
    {"NAME": "siping_edu.passwords.CharacterClassesValidator",
     "OPTIONS": {"min_classes": env.int("PASSWORD_MIN_CLASSES", default=3)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "siping_edu.passwords.NoReuseValidator", "OPTIONS": {"count": env.int("PASSWORD_HISTORY", default=5)}},
]
# Two-factor authentication (TOTP, django-otp): required for people holding these roles (and for
# superusers); optional for everyone else. Comma-separated role names of departments.roles.
TWO_FACTOR_REQUIRED_ROLES = env.list(
    "TWO_FACTOR_REQUIRED_ROLES", default=["系统管理员", "安全管理员", "审计管理员", "督查室", "局领导"])
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = env.bool("TWO_FACTOR_REQUIRED_FOR_SUPERUSERS", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="教育工作要点督办平台")
# A password older than this many days must be changed at the next login (0: never expires).
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# Accounts not used for this many days are disabled by a nightly job (0: never).
ACCOUNT_IDLE_DAYS = env.int("ACCOUNT_IDLE_DAYS", default=90)
# One session per account: a new login ends the account's other session.
SINGLE_SESSION = env.bool("SINGLE_SESSION", default=True)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Guardian's anonymous user would be one more account to guard; the portal has no public pages.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

# Internationalisation: Simplified Chinese by default, English available.

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# The rest, by subject; each part reads what it needs of the above.
from .services import *  # noqa: E402,F403 — files, cache, Celery, e-mail
from .security import *  # noqa: E402,F403 — HTTPS, CSP, login lockout, sessions
from .operations import *  # noqa: E402,F403 — logs, health and metrics
from .workflow import *  # noqa: E402,F403 — the bureau's workflow
from .api import *  # noqa: E402,F403 — the REST API
