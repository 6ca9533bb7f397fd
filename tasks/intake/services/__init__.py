"""Writes that bring a plan into the portal: from its published text (`plan_text`), or from a
task list (`sheets`); people from a list of accounts (`people`); `uploads` keeps a file between
preview and confirmation."""

from .people import PeopleImport, people_import
from .plan_text import PlanPreview, parsed_plan_from_post, plan_create_from_text, plan_text_preview
from .sheets import ImportReport, ImportRow, plan_export_dataset, task_sheet_import, tasks_with_unclear_deadlines
from .uploads import discard_upload, open_upload, store_upload, upload_exists

__all__ = [
    "ImportReport", "ImportRow", "PeopleImport", "PlanPreview", "people_import", "discard_upload", "open_upload", "parsed_plan_from_post",
    "plan_create_from_text", "plan_export_dataset", "plan_text_preview", "store_upload", "task_sheet_import",
    "tasks_with_unclear_deadlines", "upload_exists",
]
