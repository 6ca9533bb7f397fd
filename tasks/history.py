"""The history tab: every recorded change to a task and its parts, in readable words."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .formats import chinese_month
from .models import (
    Evidence,
    Instruction,
    InstructionReply,
    Milestone,
    ProgressReport,
    Task,
    TaskRequest,
)

HIDDEN_FIELDS = {"id", "version", "task", "plan", "section", "content", "instruction", "status_stamp"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    subject: str
    action: str
    changes: list = field(default_factory=list)
    url: str = ""  # a file the entry is about (a removed evidence file stays downloadable)


def _display(field_object, value, related_names):
    if value is None or value == "":
        return "—"
    if isinstance(field_object, models.BooleanField):
        return _("Yes") if value else _("No")
    if field_object.choices:
        return str(dict(field_object.flatchoices).get(value, value))
    if isinstance(field_object, models.ForeignKey):
        return related_names.get((field_object.related_model, value), str(value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _related_names(records, model):
    """Names of every object a foreign key in these records points at, a query per model."""
    wanted = {}
    for field_object in model._meta.concrete_fields:
        if isinstance(field_object, models.ForeignKey) and field_object.name not in HIDDEN_FIELDS:
            ids = {getattr(record, field_object.attname) for record in records} - {None}
            if ids:
                wanted.setdefault(field_object.related_model, set()).update(ids)
    names = {}
    for related_model, ids in wanted.items():
        for pk, obj in related_model._default_manager.in_bulk(ids).items():
            label = obj.get_full_name() if hasattr(obj, "get_full_name") else str(obj)
            names[(related_model, pk)] = label or str(obj)
    return names


def _entries_for(records, model, subject_of, extra_values=None):
    """One entry per recorded change; `extra_values(record)` adds derived fields (e.g. an M2M)."""
    names = _related_names(records, model)
    fields = [
        f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and not f.name.endswith("_ptr")
    ]
    previous_of = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        previous = previous_of.get(record.id)
        changes = []
        for field_object in fields:
            new = getattr(record, field_object.attname)
            old = getattr(previous, field_object.attname) if previous else None
            if previous is None and new in (None, "", False):
                continue
            if previous is not None and old == new:
                continue
            changes.append(
                Change(
                    str(field_object.verbose_name),
                    _display(field_object, old, names) if previous else "",
                    _display(field_object, new, names),
                )
            )
        if extra_values:
            for label, new in extra_values(record).items():
                old = extra_values(previous).get(label) if previous else None
                if (previous is None and new) or (previous is not None and old != new):
                    changes.append(Change(label, old or ("—" if previous else ""), new or "—"))
        action = {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type]
        if changes or record.history_type != "~":
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(record.history_user.get_full_name() or record.history_user.username)
                    if record.history_user
                    else _("System"),
                    subject=subject_of(record),
                    action=action,
                    changes=changes,
                )
            )
        previous_of[record.id] = record
    return entries


def _departments_by_record(records):
    """The joint lead and cooperating departments each historical task record saw, as readable values."""
    names = {}
    for field_name, snapshot in (("co_lead_departments", "HistoricalTask_co_lead_departments"),
                                 ("cooperating_departments", "HistoricalTask_cooperating_departments")):
        through = apps.get_model("tasks", snapshot)
        by_record = defaultdict(list)
        for history_id, name in (
            through.objects.filter(history__in=[r.history_id for r in records])
            .order_by("department__order", "department__name")
            .values_list("history_id", "department__name")
        ):
            by_record[history_id].append(name)
        names[str(Task._meta.get_field(field_name).verbose_name)] = by_record
    return lambda record: {label: "、".join(by_record.get(record.history_id, [])) for label, by_record in names.items()}


def task_history(task, viewer):
    """All changes to the task, its milestones, reports and requests that `viewer` may see, newest
    first. A report's draft versions stay inside its department, as the draft itself does."""
    from .permissions import can_see_report

    task_model = type(task)
    task_records = list(task.history.select_related("history_user"))
    entries = _entries_for(
        task_records, task_model, lambda r: _("Task"),
        extra_values=_departments_by_record(task_records),
    )
    entries += _entries_for(
        list(Milestone.history.filter(task_id=task.pk).select_related("history_user")),
        Milestone,
        lambda r: _("Milestone ‘%(title)s’") % {"title": r.title},
    )
    entries += _entries_for(
        [record for record in ProgressReport.history.filter(task_id=task.pk).select_related("history_user")
         if can_see_report(viewer, record)],
        ProgressReport,
        lambda r: _("Report for %(month)s") % {"month": chinese_month(r.month)},
    )
    entries += _entries_for(
        list(TaskRequest.history.filter(task_id=task.pk).select_related("history_user")),
        TaskRequest,
        lambda r: str(dict(TaskRequest.Kind.choices)[r.kind]),
    )
    entries += _entries_for(
        list(Instruction.history.filter(task_id=task.pk).select_related("history_user")),
        Instruction,
        lambda r: _("Instruction"),
    )
    entries += _entries_for(
        list(
            InstructionReply.history.filter(instruction__task_id=task.pk).select_related("history_user")
        ),
        InstructionReply,
        lambda r: _("Reply to instruction"),
    )
    entries += [
        HistoryEntry(when=adjustment.changed_at, who=_who(adjustment.changed_by), subject=_("the assignment (调整)"),
                     action=_("adjusted"),
                     changes=[*(Change(c["field"], c["before"], c["after"]) for c in adjustment.changes),
                              Change(str(_("Reason")), "", adjustment.reason)])
        for adjustment in task.adjustments.select_related("changed_by")
    ]
    for evidence in Evidence.all_objects.filter(task=task, removed_at__isnull=False).select_related(
            "removed_by", "report"):
        if evidence.report is None or can_see_report(viewer, evidence.report):
            entries.append(HistoryEntry(
                when=evidence.removed_at, who=_who(evidence.removed_by),
                subject=_("evidence ‘%(name)s’") % {"name": evidence.original_name}, action=_("removed"),
                url=reverse("tasks:evidence_download", args=[evidence.pk]),
            ))
    entries += [
        HistoryEntry(when=notice.issued_at, who=_who(notice.issued_by), subject=notice.number, action=_("issued"),
                     changes=[Change(str(_("Requirements")), "", notice.requirements)],
                     url=reverse("tasks:notice_download", args=[notice.pk]))
        for notice in task.supervision_notices.select_related("issued_by")
    ]
    for copy in Task.objects.filter(carried_from=task).select_related("plan"):
        created = copy.history.filter(history_type="+").select_related("history_user").first()
        entries.append(HistoryEntry(
            when=created.history_date if created else timezone.now(),
            who=_who(created.history_user) if created else "",
            subject=_("the task to the %(year)d plan as No. %(number)s (结转)") % {
                "year": copy.plan.year, "number": copy.display_number},
            action=_("carried over"),
        ))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def _who(user):
    return (user.get_full_name() or user.username) if user else ""
