"""The Django admin of the work plan, for the system administrator.

Plans, sections, tasks and milestones are saved through the services, so history, object
permissions and validation follow an admin edit as they follow a page. The workflow records
(reports, evidence, requests, instructions, notifications) are read-only here: they change only
through the portal's own steps.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .intake.admin import TaskImportExportMixin
from .models import (
    Evidence,
    Instruction,
    InstructionReply,
    Milestone,
    Notification,
    Plan,
    ProgressReport,
    PublicProgress,
    Section,
    Task,
    TaskRequest,
)


def changed_values(form, *, without=()):
    return {name: form.cleaned_data[name] for name in form.changed_data if name not in without}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "issuing_body", "status"]
    list_filter = ["status"]
    search_fields = ["title", "issuing_body"]

    def save_model(self, request, obj, form, change):
        if change:
            services.plan_update(plan=obj, data=changed_values(form), actor=request.user)
        else:
            created = services.plan_create(actor=request.user, **form.cleaned_data)
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # a plan is archived, never deleted with its year of reports


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "number"]
    list_filter = ["plan"]
    search_fields = ["title"]

    def save_model(self, request, obj, form, change):
        if change:
            services.section_update(section=obj, data=changed_values(form))
        else:
            obj.pk = services.section_create(**form.cleaned_data).pk


@admin.register(Task)
class TaskAdmin(TaskImportExportMixin, SimpleHistoryAdmin):
    list_display = [
        "number", "title", "section", "lead_department", "deadline_text", "state", "percent_complete",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "state", "section", "lead_department"]
    search_fields = ["title", "content", "responsible_person"]
    list_select_related = ["section", "lead_department"]
    autocomplete_fields = ["lead_department", "co_lead_departments", "cooperating_departments", "responsible_leader"]
    readonly_fields = ["version"]
    DEPARTMENT_FIELDS = ("lead_department", "co_lead_departments", "cooperating_departments")

    def save_model(self, request, obj, form, change):
        # The departments are saved in save_related, where the service also moves the grants.
        if change:
            services.task_update(task=obj, data=changed_values(form, without=self.DEPARTMENT_FIELDS),
                                 actor=request.user)
        else:
            fields = {k: v for k, v in form.cleaned_data.items() if k not in self.DEPARTMENT_FIELDS}
            obj.pk = services.task_create(actor=request.user, **fields).pk

    def save_related(self, request, form, formsets, change):
        task = Task.objects.get(pk=form.instance.pk)
        lead = form.cleaned_data.get("lead_department")
        co_leads = list(form.cleaned_data.get("co_lead_departments") or [])
        cooperating = list(form.cleaned_data.get("cooperating_departments") or [])
        if (task.lead_department != lead or set(task.co_lead_departments.all()) != set(co_leads)
                or set(task.cooperating_departments.all()) != set(cooperating)):
            services.task_assign_departments(task=task, lead=lead, co_leads=co_leads, cooperating=cooperating,
                                             actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # a task's reports and evidence go with it: tasks are closed, not deleted


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "task", "due_date", "done_on", "evidence_required"]
    list_filter = ["task__plan", "evidence_required", "due_date"]
    search_fields = ["title", "task__title"]
    list_select_related = ["task"]
    autocomplete_fields = ["task"]
    fields = ["task", "title", "due_date", "evidence_required"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.milestone_update(milestone=obj, title=data["title"], due_date=data["due_date"],
                                      evidence_required=data["evidence_required"], actor=request.user)
        else:
            obj.pk = services.milestone_create(actor=request.user, **data).pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["task", "month", "department", "state", "percent", "author", "submitted_at"]
    list_filter = ["state", "month", "department"]
    search_fields = ["task__title", "progress", "problems"]
    list_select_related = ["task", "department", "author"]
    date_hierarchy = "month"


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "task", "report", "size", "content_type", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "task__title", "sha256"]
    list_select_related = ["task", "report", "uploaded_by"]


class InstructionReplyInline(admin.TabularInline):
    model = InstructionReply
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["task", "author", "created_at", "reply_by"]
    list_filter = ["author", "created_at"]
    search_fields = ["text", "task__title"]
    list_select_related = ["task", "author"]
    inlines = [InstructionReplyInline]


@admin.register(TaskRequest)
class TaskRequestAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["task", "kind", "state", "requested_by", "requested_at", "decided_by"]
    list_filter = ["kind", "state"]
    search_fields = ["task__title", "reason"]
    list_select_related = ["task", "requested_by", "decided_by"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "message", "created_at", "read_at"]
    list_filter = ["read_at", "created_at"]
    search_fields = ["message", "recipient__username"]
    list_select_related = ["recipient"]


@admin.register(PublicProgress)
class PublicProgressAdmin(ReadOnlyAdmin):
    """Published on /plans/<year>/publication/ (政务公开) only; here to look up what was public when."""

    list_display = ["task", "month", "approved_by", "approved_at", "withdrawn_at"]
    list_filter = ["month", "withdrawn_at"]
    search_fields = ["text", "task__title"]
    list_select_related = ["task", "approved_by"]
