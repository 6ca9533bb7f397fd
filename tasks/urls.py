from django.urls import path

from . import views

app_name = "tasks"

task = "plans/<int:year>/tasks/<int:number>/"

urlpatterns = [
    path("plan/", views.CurrentPlanView.as_view(), name="current_plan"),
    path("plans/<int:year>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/<int:year>/setup/", views.PlanSetupView.as_view(), name="plan_setup"),
    path("plans/<int:year>/setup/sections/", views.PlanSectionsView.as_view(), name="plan_sections"),
    path("plans/<int:year>/setup/tasks/", views.PlanTaskCreateView.as_view(), name="plan_task_create"),
    path("plans/<int:year>/publish/", views.PlanPublishView.as_view(), name="plan_publish"),
    path("plans/<int:year>/archive/", views.PlanArchiveView.as_view(), name="plan_archive"),
    path("plans/<int:year>/carry-over/", views.PlanCarryOverView.as_view(), name="plan_carry_over"),
    path("plans/<int:year>/publication/", views.PlanPublicationView.as_view(), name="plan_publication"),
    path("public/", views.PublicIndexView.as_view(), name="public_index"),
    path("public/<int:year>/", views.PublicProgressView.as_view(), name="public_progress"),
    path(f"{task}assignment/", views.TaskAssignmentView.as_view(), name="task_assignment"),
    path(f"{task}acknowledge/", views.TaskAcknowledgeView.as_view(), name="task_acknowledge"),
    path("units/<int:pk>/merge/", views.UnitMergeView.as_view(), name="unit_merge"),
    path("my/acknowledge/", views.AcknowledgeAllView.as_view(), name="acknowledge_all"),
    path(task, views.TaskDetailView.as_view(), name="task_detail"),
    path(f"{task}history/", views.TaskHistoryView.as_view(), name="task_history"),
    path(f"{task}report/", views.ReportEditView.as_view(), name="report_edit"),
    path(f"{task}responsible/", views.ResponsiblePersonView.as_view(), name="responsible_person"),
    path(f"{task}milestones/", views.MilestoneCreateView.as_view(), name="milestone_create"),
    path(f"{task}requests/<slug:kind>/", views.TaskRequestCreateView.as_view(), name="request_create"),
    path(f"{task}instructions/", views.InstructionCreateView.as_view(), name="instruction_create"),
    path(f"{task}notices/", views.SupervisionNoticeCreateView.as_view(), name="notice_create"),
    path("notices/<int:pk>.docx", views.SupervisionNoticeDownloadView.as_view(), name="notice_download"),
    path("instructions/<int:pk>/reply/", views.InstructionReplyView.as_view(), name="instruction_reply"),
    path("milestones/<int:pk>/edit/", views.MilestoneView.as_view(action="update"), name="milestone_update"),
    path("milestones/<int:pk>/done/", views.MilestoneView.as_view(action="done"), name="milestone_done"),
    path("milestones/<int:pk>/reopen/", views.MilestoneView.as_view(action="reopen"), name="milestone_reopen"),
    path("my/", views.MyTasksView.as_view(), name="my_tasks"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("my/leading/", views.LeaderTasksView.as_view(), name="leader_tasks"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("reports/<int:pk>/read/", views.ReportReadView.as_view(), name="report_read"),
    path("review/accept/", views.ReviewBatchView.as_view(), name="review_batch"),
    path("review/reports/<int:pk>/", views.ReportReviewView.as_view(), name="report_review"),
    path("review/requests/<int:pk>/", views.TaskRequestDecideView.as_view(), name="request_decide"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="notifications_read"),
]
