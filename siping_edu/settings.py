"""Settings for the Siping education work-plan portal.

Everything that differs between a laptop and production is read from the environment
(see the table in README.md). Without DATABASE_URL / REDIS_URL the portal runs on an
embedded SQLite database with Celery jobs executed in-process.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

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

# Static and uploaded files

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Evidence files are served only through permission-checking views, never by URL.
MEDIA_URL = "/media-not-served/"
# Evidence, quarterly summaries and uploads waiting for confirmation live in the default storage:
# the local MEDIA_ROOT (one host), or an S3-compatible bucket (MinIO, Ceph, a cloud's object
# storage) when OBJECT_STORAGE_BUCKET is set, so that every web host and worker sees every file.
OBJECT_STORAGE_BUCKET = env.str("OBJECT_STORAGE_BUCKET", default="")
if OBJECT_STORAGE_BUCKET:
    DEFAULT_FILE_STORAGE_SETTINGS = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": OBJECT_STORAGE_BUCKET,
            "endpoint_url": env.str("OBJECT_STORAGE_ENDPOINT_URL", default="") or None,
            "access_key": env.str("OBJECT_STORAGE_ACCESS_KEY", default="") or None,
            "secret_key": env.str("OBJECT_STORAGE_SECRET_KEY", default="") or None,
            "region_name": env.str("OBJECT_STORAGE_REGION", default="") or None,
            # "path" for MinIO and most on-premises services; "virtual" for clouds that need it.
            "addressing_style": env.str("OBJECT_STORAGE_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            "location": env.str("OBJECT_STORAGE_PREFIX", default=""),
            # Objects are private; a name already taken gets a new one instead of overwriting.
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": env.int("FILE_DOWNLOAD_URL_SECONDS", default=60),
        },
    }
else:
    DEFAULT_FILE_STORAGE_SETTINGS = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_SETTINGS,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# How a permitted download leaves the portal: "stream" (through the application, the default) or
# "redirect" (a presigned URL valid FILE_DOWNLOAD_URL_SECONDS, only with object storage). With
# "redirect" the browser fetches the object from FILE_DOWNLOAD_BASE_URL (the proxy's path to the
# bucket, which adds nosniff; see deploy/nginx) instead of the object store's own address.
FILE_DOWNLOADS = env.str("FILE_DOWNLOADS", default="stream")
if FILE_DOWNLOADS not in {"stream", "redirect"} or (FILE_DOWNLOADS == "redirect" and not OBJECT_STORAGE_BUCKET):
    raise ImproperlyConfigured('FILE_DOWNLOADS is "stream" or "redirect" (the latter only with OBJECT_STORAGE_BUCKET).')
FILE_DOWNLOAD_BASE_URL = env.str("FILE_DOWNLOAD_BASE_URL", default="")
# Stored files that no record refers to (a killed request, an abandoned import) are removed by
# `manage.py sweep_stored_files` (nightly) once they are older than this.
STORED_FILE_GRACE_HOURS = env.int("STORED_FILE_GRACE_HOURS", default=24)

# Cache and Celery: Redis when REDIS_URL is set, otherwise in-process.

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage makes the cache a miss, not an error (siping_edu/cache.py); each call
            # waits at most this long for a Redis that hangs.
            "BACKEND": "siping_edu.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "siping_edu.cache.MeasuredLocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
# Jobs keep their outcome in the records they write (a summary's state, a delivery's status); no
# result is stored in Redis, so sending a job needs the broker only (and a Redis outage cannot
# hold a request while the result backend retries).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
# Redis re-delivers an unacknowledged job (its worker died) after this; it must outlast the hard
# limit, or a slow job would be run twice. The crash test shortens it to see the redelivery.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 300)
}
# A broker that does not answer makes a send fail within seconds (the job is then sent again
# later, see siping_edu.celery.send_job), instead of holding the web request.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = 2
if env.int("CELERY_REDELIVERY_CHECK_SECONDS", default=0):
    # How often a worker looks for such jobs (kombu's default is about every 100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "unacked_restore_interval": env.int("CELERY_REDELIVERY_CHECK_SECONDS"), "unacked_restore_throttle": 1,
    }
# django-celery-beat's schedule, sent by whichever beat holds a lock in Redis: two beats (one per
# host, for failover) do not send each job twice (siping_edu/beat.py).
CELERY_BEAT_SCHEDULER = "siping_edu.beat:SingleLeaderScheduler"
# A summary still queued this long after it was asked for is sent again (its message was never
# sent: Redis was unreachable), by the resend job every five minutes.
SUMMARY_RESEND_AFTER_SECONDS = env.int("SUMMARY_RESEND_AFTER_SECONDS", default=300)
BEAT_LEADER_LOCK_SECONDS = env.int("BEAT_LEADER_LOCK_SECONDS", default=30)
# Workers log through LOGGING below (JSON lines with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# E-mail

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
# A mail server that stalls holds a job (never a web request: mail is sent by jobs) at most this
# long per step; the job then retries with backoff.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Security: production (DEBUG off) is HTTPS-only behind one reverse proxy that sets
# X-Forwarded-Proto; each default can be overridden from the environment.

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
BEHIND_HTTPS_PROXY = env.bool("BEHIND_HTTPS_PROXY", default=not DEBUG)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# X-Forwarded-For is believed only from these addresses (the reverse proxy): a client talking to
# the application directly could write anything there and so escape the login lockout.
TRUSTED_PROXY_ADDRESSES = env.list("TRUSTED_PROXY_ADDRESSES", default=["127.0.0.1", "::1"])
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading is a promise to browsers that every subdomain of the bureau's domain is HTTPS for
# good; that is the bureau's call, not this application's (README: Production).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy: everything from this server, nothing inline, no frames, no plugins.
# Charts are server-drawn SVG and htmx is a local file, so nothing else is needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login lockout (django-axes): 5 failed attempts for one username from one address lock that
# pair out for AXES_COOLOFF_MINUTES, or until an administrator unlocks it (admin: Access attempts,
# or `manage.py axes_reset_username NAME`). A successful login clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "siping_edu.client_address.client_address"
# Guessing across many accounts from one address: past this many failed logins from an address
# within AXES_COOLOFF_MINUTES, that address signs nobody in (an office behind one NAT address has
# room for everyday typos).
ADDRESS_FAILURE_LIMIT = env.int("ADDRESS_FAILURE_LIMIT", default=20)

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after login,
# whichever comes first (siping_edu.middleware.SessionTimeoutMiddleware); the cookie itself
# lasts no longer than the absolute limit.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=10)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Domain settings

PORTAL_NAME = _("Education Work Plan Portal")

# Logs: one JSON object per line (LOG_FORMAT=json, the default in production) or plain text, each
# with the request id that the proxy sets (X-Request-ID) and that jobs carry from the request
# that enqueued them (siping_edu/observability.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "siping_edu.observability.RequestIdLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; failures and lockouts are WARNING and still appear.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Health and metrics: /healthz (the process answers) and /readyz (database, cache, broker,
# storage) for the proxy and the orchestrator; /metrics (Prometheus) only from these networks.
METRICS_ALLOWED_NETWORKS = env.list(
    "METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Reporting workflow

# Staff draft their office's reports; heads submit them unless this lets staff submit directly.
STAFF_MAY_SUBMIT_REPORTS = env.bool("STAFF_MAY_SUBMIT_REPORTS", default=False)
EVIDENCE_ALLOWED_TYPES = env.list(
    "EVIDENCE_ALLOWED_TYPES", default=["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "png"]
)
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=10)
# Above Django's own limit a request is refused before our friendlier message can be shown.
DATA_UPLOAD_MAX_NUMBER_FILES = EVIDENCE_MAX_FILES * 3
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The status engine (tasks/status.py): thresholds in percentage points and days.
STATUS_LATE_POINTS = env.int("STATUS_LATE_POINTS", default=30)
STATUS_WARNING_POINTS = env.int("STATUS_WARNING_POINTS", default=10)
STATUS_AHEAD_POINTS = env.int("STATUS_AHEAD_POINTS", default=10)
STATUS_WARNING_DAYS = env.int("STATUS_WARNING_DAYS", default=7)
# Monthly reports are due by this day of the month.
REPORTING_DAY = env.int("REPORTING_DAY", default=25)

# Reminders (催办): days before a milestone to remind, days overdue before the supervision office is copied.
REMINDER_DUE_DAYS = env.int("REMINDER_DUE_DAYS", default=3)
REMINDER_ESCALATION_DAYS = env.int("REMINDER_ESCALATION_DAYS", default=7)
# Group robots (企业微信 / 钉钉): how long one post may take before it is retried later.
CHANNEL_TIMEOUT_SECONDS = env.int("CHANNEL_TIMEOUT_SECONDS", default=5)
# Personal data at rest (phone numbers) is SM4-encrypted under these keys: "id:hex32,…", the last
# one writes, all read; rotate with `manage.py rotate_encryption_keys`. Unset: derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# The security audit log: kept at least 180 days (网络安全法 Art. 21); older rows are archived to
# signed files by `manage.py archive_audit_log`.
AUDIT_RETENTION_DAYS = max(env.int("AUDIT_RETENTION_DAYS", default=180), 180)
AUDIT_ARCHIVE_DIR = Path(env.str("AUDIT_ARCHIVE_DIR", default=str(BASE_DIR / "audit-archive")))
AUDIT_ARCHIVE_KEY = env.str("AUDIT_ARCHIVE_KEY", default=SECRET_KEY)
# The portal's address as users reach it (https://…): links in robot messages and e-mails.
PORTAL_URL = env.str("PORTAL_URL", default="")

# Imports of Excel task lists: refused above these sizes before any parsing.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20000)
# The dashboard's figures are cached until the data changes; this bounds how long a cached page
# can outlive a deployment that changes how it looks.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
