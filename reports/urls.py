from django.urls import path

from . import document_views, score_views, views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("ledger.xlsx", views.MonthlyLedgerDownloadView.as_view(), name="monthly_ledger"),
    path("summaries/", document_views.SummaryListView.as_view(), name="summaries"),
    path("summaries/<int:year>/<int:key>/generate/", document_views.SummaryGenerateView.as_view(),
         name="summary_generate"),
    path("summaries/<int:pk>/<slug:kind>/", document_views.SummaryFileView.as_view(), name="summary_file"),
    path("bulletins/", document_views.BulletinListView.as_view(), name="bulletins"),
    path("bulletins/<int:year>/<int:key>/generate/", document_views.BulletinGenerateView.as_view(),
         name="bulletin_generate"),
    path("bulletins/<int:pk>/<slug:kind>/", document_views.BulletinFileView.as_view(), name="bulletin_file"),
    path("sections/<int:number>/", views.SectionDashboardView.as_view(), name="section"),
    path("departments/<int:pk>/", views.DepartmentDashboardView.as_view(), name="department"),
    path("display/", views.DisplayView.as_view(), name="display"),
    path("scores/", score_views.ScoresView.as_view(), name="scores"),
    path("scores/cards/", score_views.ScoreCardsView.as_view(), name="score_cards"),
    path("scores/units/<int:pk>/", score_views.UnitScoreView.as_view(), name="unit_score"),
    path("scores/rules/", score_views.ScoringRulesView.as_view(), name="scoring_rules"),
]
