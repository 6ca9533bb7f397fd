"""The monthly ledger's rows (月报台账), streamed in chunks."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q

from tasks.formats import to_chinese
from tasks.models import Evidence, ProgressReport, Task
from tasks.status import COUNTED_STATES, is_counted
from tasks.status_store import statuses_for

from .dashboard import plan_tasks


@dataclass
class LedgerRow:
    """One task of the monthly ledger (月报台账), with its lead office's report for the month."""

    section_number: int
    section_heading: str
    number: str
    title: str
    lead_department: str
    cooperating_departments: str
    responsible_person: str
    deadline_text: str
    status: object
    report: object | None
    evidence_names: list


LEDGER_CHUNK = 1000


def _department_names(relation, task_ids):
    names = defaultdict(list)
    for task_id, name in (
        relation.through.objects.filter(task_id__in=task_ids)
        .order_by("department__order", "department__name")
        .values_list("task_id", "department__name")
    ):
        names[task_id].append(name)
    return names


def monthly_ledger(*, plan, month, on, section_number=None, departments=None):
    """The ledger's rows in section and task order, produced LEDGER_CHUNK tasks at a time.

    Memory stays the same whatever the plan's size (the writer streams too), and each chunk
    costs the same five queries. Rows are plain values, not model instances.
    """
    scope = Task.objects.filter(pk__in=plan_tasks(plan, departments=departments, section_number=section_number).values("pk"))
    after = Q()
    while True:
        # Keyset pagination in (section, number) order: no list of every id is held.
        tasks = list(
            scope.filter(after)
            .order_by("section__number", "number")
            .values_list("pk", "plan_id", "number", "label", "title", "responsible_person", "deadline",
                         "deadline_text", "state", "completed_on", "lead_department_id", "section__number",
                         "section__title", "lead_department__name", named=True)[:LEDGER_CHUNK]
        )
        if not tasks:
            return
        last = tasks[-1]
        after = Q(section__number__gt=last.section__number) | Q(section__number=last.section__number,
                                                                 number__gt=last.number)
        chunk = [task.pk for task in tasks]
        cooperating, co_leads = _department_names(Task.cooperating_departments, chunk), _department_names(
            Task.co_lead_departments, chunk)
        statuses = statuses_for(tasks, on=on)
        reports = {
            report.task_id: report
            for report in ProgressReport.objects.filter(
                task_id__in=chunk, month=month, state__in=COUNTED_STATES, department_id=F("task__lead_department_id")
            ).values_list("pk", "task_id", "month", "state", "submitted_at", "progress", "problems", "next_steps",
                          "percent", named=True)
            if is_counted(report, on=on)
        }
        evidence = defaultdict(list)
        for report_id, name in Evidence.objects.filter(report_id__in=[r.pk for r in reports.values()]).order_by(
            "-uploaded_at"
        ).values_list("report_id", "original_name"):
            evidence[report_id].append(name)
        for task in tasks:
            report = reports.get(task.pk)
            yield LedgerRow(
                section_number=task.section__number,
                section_heading=f"{to_chinese(task.section__number)}、{task.section__title}",
                number=task.label or str(task.number),
                title=task.title,
                lead_department="、".join([task.lead_department__name, *co_leads[task.pk]] if task.lead_department__name
                                          else co_leads[task.pk]),
                cooperating_departments="、".join(cooperating[task.pk]),
                responsible_person=task.responsible_person,
                deadline_text=task.deadline_text,
                status=statuses[task.pk],
                report=report,
                evidence_names=evidence[report.pk] if report else [],
            )
