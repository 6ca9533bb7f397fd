"""Settings of the services the portal stands on: file storage, cache, Celery, e-mail."""


from django.core.exceptions import ImproperlyConfigured

from . import BASE_DIR, TIME_ZONE, env

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
