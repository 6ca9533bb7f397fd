"""Thin views: read the form, check the permission, call the service, redirect or render."""

from .evidence import EvidenceDownloadView
from .instructions import (
    InstructionCreateView,
    InstructionReplyView,
    SupervisionNoticeCreateView,
    SupervisionNoticeDownloadView,
)
from .milestones import MilestoneCreateView, MilestoneView
from .notifications import NotificationListView, NotificationsReadView
from .plans import (
    CurrentPlanView,
    HomeView,
    LeaderTasksView,
    MyTasksView,
    PlanDetailView,
    ResponsiblePersonView,
    SearchView,
    TaskDetailView,
    TaskHistoryView,
)
from .public import PlanPublicationView, PublicIndexView, PublicProgressView
from .reports import (
    ReportEditView,
    ReportReadView,
    ReportReviewView,
    ReviewBatchView,
    ReviewQueueView,
)
from .requests import TaskRequestCreateView, TaskRequestDecideView
from .setup import (
    AcknowledgeAllView,
    PlanArchiveView,
    PlanCarryOverView,
    PlanListView,
    PlanPublishView,
    PlanSectionsView,
    PlanSetupView,
    PlanTaskCreateView,
    TaskAcknowledgeView,
    TaskAssignmentView,
    UnitMergeView,
)

__all__ = [
    "AcknowledgeAllView", "PlanArchiveView", "PlanCarryOverView", "PlanListView", "PlanPublishView", "PlanSectionsView", "PlanSetupView", "PlanTaskCreateView",
    "TaskAcknowledgeView", "TaskAssignmentView", "UnitMergeView",
    "CurrentPlanView", "LeaderTasksView", "EvidenceDownloadView", "HomeView", "InstructionCreateView", "InstructionReplyView", "SupervisionNoticeCreateView", "SupervisionNoticeDownloadView", "MilestoneCreateView",
    "MilestoneView", "MyTasksView", "NotificationListView", "NotificationsReadView", "PlanDetailView",
    "ReportEditView", "ReportReadView", "ReportReviewView", "ReviewBatchView", "ResponsiblePersonView", "SearchView", "ReviewQueueView", "TaskDetailView",
    "TaskHistoryView", "TaskRequestCreateView", "TaskRequestDecideView", "PlanPublicationView", "PublicIndexView",
    "PublicProgressView",
]
