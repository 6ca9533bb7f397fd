"""Reads of the reports app: the dashboard, the monthly ledger's rows, a quarter's figures, a
scoring bulletin's figures."""

from .bulletin import bulletin_figures
from .dashboard import Dashboard, build_dashboard, plan_tasks
from .ledger import LedgerRow, monthly_ledger
from .quarterly import quarter_months, quarterly_figures

__all__ = ["Dashboard", "LedgerRow", "build_dashboard", "bulletin_figures", "monthly_ledger", "plan_tasks",
           "quarter_months",
           "quarterly_figures"]
