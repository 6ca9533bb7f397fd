"""The REST API of plans and their work: plans, sections, tasks with status and reason,
milestones, monthly reports (read; create, edit and submit a draft) and instructions (批示).

Every read is scoped by the same selectors and permission functions as the pages, and every
write goes through the same service; a token's scope (departments.api) may narrow it to reading.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.api import UnitSerializer
from departments.models import Department

from . import permissions, selectors, services
from .models import Instruction, InstructionReply, Milestone, Plan, ProgressReport, Section, Task
from .status_store import statuses_for


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["number", "title"]


class PlanSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["year", "title", "issuing_body", "doc_number", "status", "published_at", "sections"]


class StatusSerializer(serializers.Serializer):
    light = serializers.CharField(help_text="done, ahead, normal, warning, late or not_started")
    label = serializers.CharField()
    reason = serializers.CharField()
    expected_percent = serializers.IntegerField(allow_null=True)
    actual_percent = serializers.IntegerField(allow_null=True)


class TaskListSerializer(serializers.ListSerializer):
    """Reads the statuses of a whole page of tasks at once (a fixed number of queries)."""

    def to_representation(self, data):
        tasks = list(data.all() if hasattr(data, "all") else data)
        self.child.context["statuses"] = statuses_for(tasks, on=timezone.localdate())
        return super().to_representation(tasks)


class TaskSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan.year", read_only=True)
    section = serializers.IntegerField(source="section.number", read_only=True, allow_null=True)
    display_number = serializers.CharField(read_only=True, help_text="The number as the document prints it.")
    lead_department = UnitSerializer(read_only=True)
    co_lead_departments = UnitSerializer(many=True, read_only=True)
    cooperating_departments = UnitSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "plan", "section", "number", "display_number", "title", "content", "lead_department",
                  "co_lead_departments", "cooperating_departments", "owner_text", "deadline", "deadline_text",
                  "state", "percent_complete", "completed_on", "status"]
        list_serializer_class = TaskListSerializer

    @extend_schema_field(StatusSerializer)
    def get_status(self, task):
        statuses = self.context.get("statuses") or statuses_for([task], on=timezone.localdate())
        status = statuses[task.pk]
        return {"light": status.light, "label": str(status.label), "reason": status.reason,
                "expected_percent": status.expected_percent, "actual_percent": status.actual_percent}


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "task", "title", "due_date", "done_on", "evidence_required"]


class ReportSerializer(serializers.ModelSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.none())
    month = serializers.DateField(help_text="Any day of the reported month; stored as its first day.")
    version = serializers.IntegerField(required=False, help_text="When editing: the version you read.")

    class Meta:
        model = ProgressReport
        fields = ["id", "task", "department", "month", "state", "progress", "problems", "next_steps", "percent",
                  "percent_drop_reason", "submitted_at", "reviewed_at", "review_note", "quality", "version"]
        read_only_fields = ["state", "submitted_at", "reviewed_at", "review_note", "quality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["task"].queryset = permissions.tasks_reportable_by(request.user)


class ReportUpdateSerializer(ReportSerializer):
    version = serializers.IntegerField(help_text="The version you read: a report saved since is not overwritten.")

    class Meta(ReportSerializer.Meta):
        read_only_fields = [*ReportSerializer.Meta.read_only_fields, "task", "department", "month"]

    def validate(self, attrs):
        if "version" not in attrs:  # PATCH skips required fields; this one is always required
            raise serializers.ValidationError({"version": [self.fields["version"].error_messages["required"]]})
        return attrs


class InstructionReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = InstructionReply
        fields = ["text", "created_at"]


class InstructionSerializer(serializers.ModelSerializer):
    replies = InstructionReplySerializer(many=True, read_only=True)

    class Meta:
        model = Instruction
        fields = ["id", "task", "text", "reply_by", "created_at", "read_at", "replies"]


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    lookup_field = "year"
    pagination_class = None

    def get_queryset(self):
        return selectors.plans_visible_to(self.request.user).prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("number"))).order_by("-year")


class TaskFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan__year", help_text="The plan's year.")
    section = django_filters.NumberFilter(field_name="section__number", help_text="The section's number.")
    lead_department = django_filters.NumberFilter(field_name="lead_department_id")
    state = django_filters.ChoiceFilter(choices=Task.State.choices)

    class Meta:
        model = Task
        fields = ["plan", "section", "lead_department", "state"]


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks with their status and its reason as of today (Asia/Shanghai)."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return (selectors.tasks_visible_to(self.request.user)
                .select_related("plan", "section", "lead_department")
                .prefetch_related("co_lead_departments", "cooperating_departments")
                # By plan and number: the (plan, number) unique index serves a page of a
                # 50,000-task plan without sorting it (ordering by the plan's year did).
                .order_by("plan_id", "number"))

    @extend_schema(responses=MilestoneSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def milestones(self, request, pk=None):
        task = self.get_object()
        return Response(MilestoneSerializer(task.milestones.order_by("due_date", "pk"), many=True).data)


class MilestoneViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MilestoneSerializer
    filterset_fields = ["task"]

    def get_queryset(self):
        return (Milestone.objects.filter(task__in=selectors.tasks_visible_to(self.request.user))
                .order_by("task", "due_date", "pk"))


class ReportFilter(django_filters.FilterSet):
    month = django_filters.DateFilter(help_text="The first day of the month.")
    plan = django_filters.NumberFilter(field_name="task__plan__year", help_text="The plan's year.")

    class Meta:
        model = ProgressReport
        fields = ["task", "department", "month", "state", "plan"]


class ReportViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Monthly reports: submitted ones to every reader of the task, drafts inside their unit.
    Create a draft, edit it (with the version you read), then submit it — as the pages allow."""

    filterset_class = ReportFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return ReportUpdateSerializer if self.action == "partial_update" else ReportSerializer

    def get_queryset(self):
        return (permissions.reports_visible_to(self.request.user)
                .filter(task__in=selectors.tasks_visible_to(self.request.user))
                .order_by("-month", "task_id", "department_id"))

    def perform_create(self, serializer):
        data = serializer.validated_data
        task, department = data["task"], data["department"]
        if department.pk not in {m.department_id for m in permissions.reporting_memberships(self.request.user, task)}:
            raise PermissionDenied
        try:
            serializer.instance = services.report_save(
                task=task, department=department, month=data["month"], author=self.request.user,
                progress=data["progress"], percent=data["percent"], problems=data.get("problems", ""),
                next_steps=data.get("next_steps", ""), percent_drop_reason=data.get("percent_drop_reason", ""),
                expected_version=0)
        except services.StaleEditError as error:
            raise Conflict(error.messages[0])

    def perform_update(self, serializer):
        report, data = serializer.instance, serializer.validated_data
        if not permissions.can_edit_report(self.request.user, report):
            raise PermissionDenied
        values = {name: data.get(name, getattr(report, name))
                  for name in ("progress", "problems", "next_steps", "percent", "percent_drop_reason")}
        try:
            serializer.instance = services.report_save(
                task=report.task, department=report.department, month=report.month, author=self.request.user,
                expected_version=data["version"], **values)
        except services.StaleEditError as error:
            raise Conflict(error.messages[0])

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        if not permissions.can_submit_report(request.user, report):
            raise PermissionDenied
        return Response(ReportSerializer(services.report_submit(report=report, actor=request.user),
                                         context=self.get_serializer_context()).data)


class InstructionViewSet(viewsets.ReadOnlyModelViewSet):
    """Leaders' instructions (批示) on tasks, with the units' replies."""

    serializer_class = InstructionSerializer
    filterset_fields = ["task"]

    def get_queryset(self):
        return (Instruction.objects.filter(task__in=selectors.tasks_visible_to(self.request.user))
                .prefetch_related("replies").order_by("-created_at"))
