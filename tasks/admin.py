from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .import_admin import TaskImportExportMixin

from .models import (
    Evidence,
    Instruction,
    InstructionReply,
    Milestone,
    Notification,
    Plan,
    ProgressReport,
    Section,
    Task,
    TaskRequest,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "issuing_body", "status"]
    list_filter = ["status"]
    search_fields = ["title", "issuing_body"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "number"]
    list_filter = ["plan"]
    search_fields = ["title"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(TaskImportExportMixin, SimpleHistoryAdmin):
    list_display = [
        "number", "title", "section", "lead_department", "deadline_text", "state", "percent_complete",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "state", "section", "lead_department"]
    search_fields = ["title", "content", "responsible_person"]
    list_select_related = ["section", "lead_department"]
    autocomplete_fields = ["lead_department", "cooperating_departments", "responsible_leader"]
    readonly_fields = ["version"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "task", "due_date", "done_on", "evidence_required"]
    list_filter = ["task__plan", "evidence_required", "due_date"]
    search_fields = ["title", "task__title"]
    list_select_related = ["task"]
    autocomplete_fields = ["task"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["task", "month", "department", "state", "percent", "author", "submitted_at"]
    list_filter = ["state", "month", "department"]
    search_fields = ["task__title", "progress", "problems"]
    list_select_related = ["task", "department", "author"]
    autocomplete_fields = ["task", "department", "author", "reviewer"]
    date_hierarchy = "month"
    readonly_fields = ["version"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "task", "report", "size", "content_type", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "task__title", "sha256"]
    list_select_related = ["task", "report", "uploaded_by"]
    readonly_fields = ["sha256", "size", "content_type", "uploaded_at"]
    raw_id_fields = ["task", "report", "milestone", "uploaded_by"]


class InstructionReplyInline(admin.TabularInline):
    model = InstructionReply
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Instruction)
class InstructionAdmin(SimpleHistoryAdmin):
    list_display = ["task", "author", "created_at", "reply_by"]
    list_filter = ["author", "created_at"]
    search_fields = ["text", "task__title"]
    list_select_related = ["task", "author"]
    raw_id_fields = ["task", "author"]
    inlines = [InstructionReplyInline]


@admin.register(TaskRequest)
class TaskRequestAdmin(SimpleHistoryAdmin):
    list_display = ["task", "kind", "state", "requested_by", "requested_at", "decided_by"]
    list_filter = ["kind", "state"]
    search_fields = ["task__title", "reason"]
    list_select_related = ["task", "requested_by", "decided_by"]
    raw_id_fields = ["task", "requested_by", "decided_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "message", "created_at", "read_at"]
    list_filter = ["read_at", "created_at"]
    search_fields = ["message", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "task"]
