"""Quarterly summaries (季度进展总结), built by a job through `generated`."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.roles import Capability, users_holding
from tasks.services import notify

from .. import exporters, selectors
from ..models import QuarterlySummary
from .generated import generated_build, generated_request, generated_resend_waiting


def previous_quarter(today):
    """(year, quarter) of the quarter that ended before `today`'s quarter began."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def summary_request(*, plan, quarter, actor=None, unless_made=False):
    return generated_request(QuarterlySummary, plan=plan, quarter=quarter, actor=actor, unless_made=unless_made)


def summaries_resend_waiting(*, now=None):
    """Summaries and bulletins whose job message never reached the broker."""
    return generated_resend_waiting(now=now)


def summary_generate(*, plan, quarter, today=None):
    def build():
        figures = selectors.quarterly_figures(plan=plan, quarter=quarter, today=today or timezone.localdate())
        return figures, exporters.write_quarterly_xlsx, exporters.write_quarterly_docx

    def on_done(summary):
        notify(
            recipients=users_holding(Capability.READ_SUMMARIES),
            message=_("The %(plan)s summary for quarter %(quarter)d is ready.")
            % {"plan": plan.title, "quarter": quarter},
            url=f"{reverse('reports:summaries')}?year={plan.year}",
        )

    return generated_build(QuarterlySummary, plan=plan, quarter=quarter, build=build, on_done=on_done)


def summaries_for_plan(plan):
    return QuarterlySummary.objects.filter(plan=plan).order_by("quarter")
