"""The bureau's workflow: reporting, evidence, status thresholds, reminders, audit, imports."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from . import BASE_DIR, SECRET_KEY, env

# Domain settings

PORTAL_NAME = _("Education Work Plan Portal")

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
# The meeting-room display (大屏) turns a page every DISPLAY_PAGE_SECONDS and reloads its figures
# every DISPLAY_REFRESH_SECONDS (when the server answers).
DISPLAY_PAGE_SECONDS = env.int("DISPLAY_PAGE_SECONDS", default=15)
DISPLAY_REFRESH_SECONDS = env.int("DISPLAY_REFRESH_SECONDS", default=300)
# Scoring bulletins (考核通报) commend the units ranked this high that got no card in the period.
BULLETIN_COMMENDED_RANKS = env.int("BULLETIN_COMMENDED_RANKS", default=3)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
