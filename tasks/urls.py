from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("<int:year>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:year>/tasks/<int:number>/", views.TaskDetailView.as_view(), name="task_detail"),
]
