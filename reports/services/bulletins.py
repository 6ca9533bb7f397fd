"""Scoring bulletins (考核通报), built by a job through `generated`: a month's on the first day of
the next month, the year's on 1 January, or whenever the supervision office asks."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.roles import Capability, users_holding
from tasks.models import Plan
from tasks.services import notify

from .. import bulletin_files, selectors
from ..models import ScoreBulletin
from .generated import generated_build, generated_request


def bulletin_request(*, plan, month, actor=None, unless_made=False):
    return generated_request(ScoreBulletin, plan=plan, month=month, actor=actor, unless_made=unless_made)


def bulletins_request_due(*, today):
    """The scheduled run: last month's bulletin for its plan and, on the first day of a year,
    the year's. Bulletins already made are not made again."""
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    due = [(last_month.year, last_month.month)]
    if today.month == 1:
        due.append((today.year - 1, ScoreBulletin.WHOLE_YEAR))
    requested = []
    for year, month in due:
        for plan in Plan.objects.filter(year=year).exclude(status=Plan.Status.DRAFT):
            requested.append(bulletin_request(plan=plan, month=month, unless_made=True))
    return requested


def bulletin_generate(*, plan, month, today=None):
    def build():
        figures = selectors.bulletin_figures(plan=plan, month=month, today=today or timezone.localdate())
        return figures, bulletin_files.write_bulletin_xlsx, bulletin_files.write_bulletin_docx

    def on_done(bulletin):
        notify(
            recipients=users_holding(Capability.READ_SUMMARIES),
            message=_("The scoring bulletin of %(plan)s for %(period)s is ready.") % {
                "plan": plan.title, "period": bulletin.period_label},
            url=f"{reverse('reports:bulletins')}?year={plan.year}",
        )

    return generated_build(ScoreBulletin, plan=plan, month=month, build=build, on_done=on_done)


def bulletins_for_plan(plan):
    return ScoreBulletin.objects.filter(plan=plan).order_by("month")
