"""The work plan's data and invariants, split by subject; import models from here."""

from .instructions import Instruction, InstructionReply, Notification, SupervisionNotice
from .plans import Plan, Section
from .publication import PublicProgress
from .reports import Evidence, ProgressReport, ReportReading, evidence_upload_path
from .requests import TaskRequest
from .statuses import DONE_MARK, TREND_MONTHS, StoredStatus, new_status_stamp
from .tasks import Milestone, Task, TaskAdjustment, TaskGroupObjectPermission, TaskUserObjectPermission

__all__ = [
    "Evidence", "Instruction", "InstructionReply", "Milestone", "Notification", "Plan", "ProgressReport",
    "PublicProgress", "ReportReading",
    "Section", "StoredStatus", "SupervisionNotice", "Task", "TaskAdjustment", "TaskGroupObjectPermission", "TaskRequest", "TaskUserObjectPermission",
    "evidence_upload_path", "DONE_MARK", "TREND_MONTHS", "new_status_stamp",
]
