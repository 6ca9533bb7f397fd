"""Every write to plans, tasks, milestones, reports, evidence, requests and instructions.

Each service is atomic, validates before it writes, records the acting user in the history
(`common.model_save` / `model_update`) and writes its notifications itself. Edits of tasks and
reports use optimistic locking: the caller passes the version it showed the user, and a save
from a stale page is refused. Callers import this package; the modules split it by subject.
"""

from .common import (
    StaleEditError,
    atomic_with_files,
    model_save,
    model_update,
    notify,
    notify_units,
    task_url,
)
from .cycle import (
    plan_archive,
    plan_carry_over,
    plan_publish,
    plan_publish_problems,
    task_acknowledge,
    task_add,
    task_assign,
    tasks_acknowledge,
    tasks_assign_bulk,
)
from .evidence import evidence_attach
from .instructions import instruction_reply, instruction_write, instructions_mark_read
from .milestones import (
    milestone_create,
    milestone_mark_done,
    milestone_reopen,
    milestone_update,
)
from .notices import supervision_notice_document, supervision_notice_issue
from .notifications import notification_digests_send, notifications_mark_read
from .publication import plan_set_public, public_progress_approve, public_progress_withdraw
from .reports import (
    last_accepted_percent,
    report_accept,
    report_mark_read,
    report_return,
    report_save,
    report_submit,
    reports_accept_bulk,
)
from .requests import task_request_create, task_request_decide
from .tasks import (
    plan_create,
    plan_update,
    section_create,
    section_update,
    task_assign_departments,
    task_complete,
    task_create,
    task_set_schedule,
    task_update,
    task_update_responsible_person,
    tasks_record_bulk_import,
)
from .units import department_merge

__all__ = [
    "plan_archive", "plan_carry_over", "plan_publish", "plan_publish_problems", "task_acknowledge", "task_add", "task_assign",
    "tasks_acknowledge", "tasks_assign_bulk", "department_merge", "plan_set_public", "public_progress_approve",
    "public_progress_withdraw",
    "StaleEditError", "atomic_with_files", "evidence_attach", "instruction_reply", "instruction_write",
    "instructions_mark_read",
    "last_accepted_percent", "milestone_create", "milestone_mark_done", "milestone_reopen", "milestone_update",
    "model_save", "model_update", "notification_digests_send", "supervision_notice_document", "supervision_notice_issue", "notifications_mark_read", "notify", "notify_units", "plan_create", "plan_update",
    "report_accept", "report_mark_read", "report_return", "report_save", "report_submit", "reports_accept_bulk", "section_create", "section_update",
    "task_assign_departments", "task_complete", "task_create", "task_request_create", "task_request_decide",
    "task_set_schedule", "task_update", "task_update_responsible_person", "task_url", "tasks_record_bulk_import",
]
