"""Writes of the reports app: generated files, summary and bulletin records, reminders, scoring
rules and adjustments. Callers import this package; the modules split it by subject."""

from .bulletins import bulletin_generate, bulletin_request, bulletins_for_plan, bulletins_request_due
from .ledger import monthly_ledger_file
from .reminders import reminders_send
from .scoring import score_adjust, scoring_rules_set
from .summaries import (
    previous_quarter,
    summaries_for_plan,
    summaries_resend_waiting,
    summary_generate,
    summary_request,
)

__all__ = [
    "bulletin_generate", "bulletin_request", "bulletins_for_plan", "bulletins_request_due",
    "monthly_ledger_file", "previous_quarter", "reminders_send", "score_adjust", "scoring_rules_set",
    "summaries_for_plan", "summaries_resend_waiting", "summary_generate", "summary_request",
]
