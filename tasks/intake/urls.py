from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("imports/", views.TaskSheetImportView.as_view(), name="task_sheet_import"),
    path("imports/plan-text/", views.PlanTextImportView.as_view(), name="plan_text_import"),
    path("imports/deadlines/", views.UnclearDeadlinesView.as_view(), name="unclear_deadlines"),
    path("people/import/", views.PeopleImportView.as_view(), name="people_import"),
    path("imports/template.xlsx", views.TaskTemplateView.as_view(), name="task_template"),
    path("plans/<int:year>/tasks.xlsx", views.PlanTaskExportView.as_view(), name="plan_export"),
    path("plans/<int:year>/tasks.csv", views.PlanTaskExportView.as_view(file_format="csv"), name="plan_export_csv"),
]
