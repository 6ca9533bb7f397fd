from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("sections/<int:number>/", views.SectionDashboardView.as_view(), name="section"),
    path("departments/<int:pk>/", views.DepartmentDashboardView.as_view(), name="department"),
]
