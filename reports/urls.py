app_name = "reports"

# The monthly ledger, quarterly summaries and their downloads are added by the reports issue.
urlpatterns = []
