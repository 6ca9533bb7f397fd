"""The REST API of the leaders' figures: the dashboard's tallies and the unit ranking, for
whoever may open the dashboards (the same scope: heads see their own units' figures)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from departments.api import UnitSerializer

from .permissions import dashboard_scope_for
from .scoring import plan_months, unit_scores
from .selectors import build_dashboard
from .views import dashboard_filters

FILTERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="The plan's year (default: the current plan)."),
    OpenApiParameter("month", OpenApiTypes.INT, description="As of the end of this month (default: today)."),
]


class TallySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    green = serializers.IntegerField(help_text="On track or ahead.")
    yellow = serializers.IntegerField(help_text="Warning.")
    red = serializers.IntegerField(help_text="Late.")
    not_started = serializers.IntegerField()
    completion_rate = serializers.IntegerField()
    average_progress = serializers.IntegerField()


class SectionFiguresSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="section.number")
    title = serializers.CharField(source="section.title")
    tally = TallySerializer()


class DepartmentFiguresSerializer(serializers.Serializer):
    department = UnitSerializer()
    tally = TallySerializer()
    due = serializers.IntegerField(help_text="This month's reports due.")
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()


class TrendSerializer(serializers.Serializer):
    month = serializers.DateField()
    done = serializers.IntegerField()
    average_progress = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.year")
    on = serializers.DateField(help_text="The figures are as of the end of this day.")
    overall = TallySerializer()
    reports_due = serializers.IntegerField(source="due")
    reports_submitted = serializers.IntegerField(source="submitted")
    reports_on_time = serializers.IntegerField(source="on_time")
    sections = SectionFiguresSerializer(many=True)
    departments = DepartmentFiguresSerializer(many=True)
    trend = TrendSerializer(many=True)


class UnitScoreSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    department = UnitSerializer()
    total = serializers.DecimalField(max_digits=8, decimal_places=1)
    deducted = serializers.DecimalField(max_digits=8, decimal_places=1)
    red_cards = serializers.IntegerField()
    yellow_cards = serializers.IntegerField()


class FiltersSerializer(serializers.Serializer):
    """The query an integration sends: unlike the pages, which fall back to the current plan and
    month, the API refuses what it cannot answer (another system must not read another year's
    figures thinking they are the ones it asked for)."""

    year = serializers.IntegerField(required=False)
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)
    department = serializers.IntegerField(required=False)
    period = serializers.ChoiceField(choices=["month", "year"], required=False)


class DashboardScopedView(APIView):
    def filters(self, request):
        """(plan, as-of date, departments) within the caller's dashboard scope."""
        scope = dashboard_scope_for(request.user)
        if scope is None:
            raise PermissionDenied
        query = FiltersSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        plan, on, departments, department, _form = dashboard_filters(request.user, scope, request.query_params)
        if "year" in query.validated_data and plan.year != query.validated_data["year"]:
            raise Http404
        if "department" in query.validated_data and department is None:
            raise Http404
        return plan, on, departments


class DashboardFiguresView(DashboardScopedView):
    """The dashboard's figures: overall, by section, by lead unit, this month's reports, the trend."""

    @extend_schema(parameters=[*FILTERS, OpenApiParameter("department", OpenApiTypes.INT)],
                   responses=DashboardSerializer)
    def get(self, request):
        plan, on, departments = self.filters(request)
        return Response(DashboardSerializer(build_dashboard(plan=plan, on=on, departments=departments)).data)


class ScoresView(DashboardScopedView):
    """The unit ranking (考核排名) for the month, or the year so far with `period=year`."""

    @extend_schema(parameters=[*FILTERS, OpenApiParameter("period", OpenApiTypes.STR, enum=["month", "year"])],
                   responses=UnitScoreSerializer(many=True))
    def get(self, request):
        plan, on, _departments = self.filters(request)
        months = plan_months(plan, on=on) if request.query_params.get("period") == "year" else [on.replace(day=1)]
        return Response(UnitScoreSerializer(unit_scores(plan, months=months, on=on), many=True).data)
