"""The daily reminders (催办): not acknowledged, due soon, overdue, reports missing, and the
month's red and yellow cards."""

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from departments.contact import contact_email
from departments.roles import Capability, users_holding
from departments.selectors import department_members
from tasks.formats import chinese_date, chinese_month
from tasks.models import Milestone, Plan, Task
from tasks.services import notify, notify_units, task_url
from tasks.status import (
    AWAITING_ACKNOWLEDGEMENT,
    is_milestone_due_within,
    is_milestone_overdue,
    is_report_missing,
    is_task_overdue,
    load_status_inputs,
    reporting_deadline,
)

from ..models import ReminderLog
from ..scoring import month_cards


def _remember(kind, key, recipient, day):
    """True the first time this reminder goes to this person today; False on any repeat."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, key=key, recipient=recipient, day=day)
        return True
    except IntegrityError:
        return False


def reminders_send(*, today):
    """The day's reminders: not acknowledged (签收), due soon, overdue (escalated after a week),
    reports missing."""
    supervisors = list(users_holding(Capability.RECEIVE_ESCALATIONS))
    outgoing = []  # (recipient, kind, key, message, task)

    open_tasks = Task.objects.filter(plan__status=Plan.Status.ACTIVE).exclude(state=Task.State.COMPLETED)
    soon = today + datetime.timedelta(days=settings.REMINDER_DUE_DAYS)
    for milestone in Milestone.objects.filter(
        task__in=open_tasks, done_on=None, due_date__lte=soon
    ).select_related("task__plan", "task__lead_department", "task__responsible_leader").prefetch_related(
        "task__co_lead_departments"
    ):
        task = milestone.task
        days = (milestone.due_date - today).days
        if is_milestone_due_within(milestone, today, settings.REMINDER_DUE_DAYS):
            message = _("Milestone ‘%(title)s’ of “%(task)s” is due in %(days)d days.") % {
                "title": milestone.title, "task": task.title, "days": days}
            outgoing += [(user, "milestone_due", f"m{milestone.pk}", message, task)
                         for user in department_members(*task.lead_departments)]
        elif is_milestone_overdue(milestone, today):
            message = _("Milestone ‘%(title)s’ of “%(task)s” is %(days)d days overdue.") % {
                "title": milestone.title, "task": task.title, "days": -days}
            outgoing += _overdue_recipients(task, -days, supervisors, "milestone_overdue", f"m{milestone.pk}", message)
    for task in open_tasks.filter(deadline__lt=today).select_related(
        "plan", "lead_department", "responsible_leader"
    ).prefetch_related("co_lead_departments"):
        if not is_task_overdue(task, today):
            continue
        days = (today - task.deadline).days
        message = _("“%(task)s” is %(days)d days past its deadline.") % {"task": task.title, "days": days}
        outgoing += _overdue_recipients(task, days, supervisors, "task_overdue", f"t{task.pk}", message)

    waiting = (open_tasks.filter(AWAITING_ACKNOWLEDGEMENT).select_related("plan", "lead_department")
               .prefetch_related("co_lead_departments"))
    for task in waiting:
        message = _("“%(task)s” was assigned to your unit and has not been acknowledged (签收).") % {"task": task.title}
        outgoing += [(user, "not_acknowledged", f"t{task.pk}", message, task)
                     for user in department_members(task.lead_department)]

    month = today.replace(day=1)
    if today > reporting_deadline(month).date():
        candidates = list(open_tasks.filter(plan__year=today.year, lead_department__isnull=False)
                          .select_related("plan", "lead_department").prefetch_related("co_lead_departments"))
        inputs = load_status_inputs(candidates, on=today)
        for task in candidates:
            if is_report_missing(task, month, inputs.lead_reports[task.pk], on=today):
                message = _("This month's report on “%(task)s” has not been submitted.") % {"task": task.title}
                outgoing += [(user, "report_missing", f"t{task.pk}-{month:%Y%m}", message, task)
                             for user in department_members(*task.lead_departments)]

    sent = 0
    mails = []
    by_unit = {}  # one robot message a day per unit, listing its reminders
    members = {}
    for user, kind, key, message, task in outgoing:
        if _remember(kind, key, user, today):
            notify(recipients=[user], message=message, task=task, url=task_url(task))
            address = contact_email(user)
            if address:
                mails.append((_("Work plan reminder"), message, settings.DEFAULT_FROM_EMAIL, [address]))
            unit = task.lead_department
            if unit is not None and unit.pk not in members:
                members[unit.pk] = set(department_members(unit))
            if unit is not None and user in members[unit.pk]:
                lines = by_unit.setdefault(unit, [])
                if message not in lines:
                    lines.append(message)
            sent += 1
    for unit, lines in by_unit.items():
        notify_units(departments=[unit], message=_("Reminders for %(unit)s (%(date)s):") % {
            "unit": unit.display_name, "date": chinese_date(today)} + "\n" + "\n".join(f"· {line}" for line in lines))
    cards_sent, card_mails = _card_notices(today)
    mails += card_mails
    if mails:
        send_mass_mail(mails, fail_silently=False)
    return sent + cards_sent


def _overdue_recipients(task, days_overdue, supervisors, kind, key, message):
    recipients = department_members(*task.lead_departments) + ([task.responsible_leader] if task.responsible_leader else [])
    if days_overdue > settings.REMINDER_ESCALATION_DAYS:
        recipients += supervisors
    return [(user, kind, key, message, task) for user in recipients]


def _card_notices(today):
    """Once a month has ended, each unit carded for it (红牌 / 黄牌) is told, and so are the people
    who receive escalations: the first daily run after the month's end sends them, and the record
    of that day stops a repeat. Returns the notices written and the mails to send."""
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    sent, mails = 0, []
    escalations = list(users_holding(Capability.RECEIVE_ESCALATIONS))
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE, year=month.year):
        query = f"?year={plan.year}&month={month.month}"
        told = set(ReminderLog.objects.filter(kind__in=("score_card", "score_cards"),
                                              key__startswith=f"p{plan.pk}-").values_list("key", flat=True))
        leader_lines = {}
        for score in month_cards(plan, month, on=today):
            unit, card = score.department, score.cards[month]
            key = f"p{plan.pk}-d{unit.pk}-{month:%Y%m}"
            if key in told:
                continue
            message = (_("%(unit)s received a red card for %(month)s: %(points)s points deducted.") if card == "red"
                       else _("%(unit)s received a yellow card for %(month)s: %(points)s points deducted.")) % {
                "unit": unit.name, "month": chinese_month(month), "points": score.deducted}
            heads = set(department_members(unit, role="head"))
            members = [user for user in department_members(unit) if _remember("score_card", key, user, today)]
            url = reverse("reports:unit_score", args=[unit.pk]) + query
            notify(recipients=[user for user in members if user in heads], message=message, url=url)
            notify(recipients=[user for user in members if user not in heads], message=message)
            notify_units(departments=[unit], message=message, url=url)
            mails += [(_("Work plan reminder"), message, settings.DEFAULT_FROM_EMAIL, [address])
                      for address in map(contact_email, members) if address]
            sent += len(members)
            for leader in escalations:
                if _remember("score_cards", key, leader, today):
                    leader_lines.setdefault(leader, []).append(
                        f"{unit.name}（{_('red card') if card == 'red' else _('yellow card')}）")
        for leader, lines in leader_lines.items():
            units = "、".join(lines)
            message = _("Units carded for %(month)s: %(units)s.") % {
                "month": chinese_month(month), "units": units if len(units) <= 200 else units[:200] + "…"}
            notify(recipients=[leader], message=message, url=reverse("reports:scores") + query)
            sent += 1
    return sent, mails
