"""The REST API's URLs (/api/): each app's endpoints, the OpenAPI schema and its docs page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from reports import api as reports_api
from tasks import api as tasks_api

app_name = "api"

router = SimpleRouter()
router.register("plans", tasks_api.PlanViewSet, basename="plan")
router.register("tasks", tasks_api.TaskViewSet, basename="task")
router.register("milestones", tasks_api.MilestoneViewSet, basename="milestone")
router.register("reports", tasks_api.ReportViewSet, basename="report")
router.register("instructions", tasks_api.InstructionViewSet, basename="instruction")

urlpatterns = [
    *router.urls,
    path("dashboard/", reports_api.DashboardFiguresView.as_view(), name="dashboard"),
    path("scores/", reports_api.ScoresView.as_view(), name="scores"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar, its start-up script a file of its own (no inline
    # script, as the CSP requires).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
