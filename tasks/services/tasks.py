"""Writes to plans, sections and tasks; departments and their object permissions move together."""

from django.db import transaction
from django.utils import timezone

from tasks import permissions
from tasks.bulk_sql import (
    chunks,
    column,
    datetime_param,
    insert_rows,
    insert_select,
    placeholders,
    table,
)
from tasks.models import Plan, Section, Task
from tasks.status import data_changed
from tasks.status_store import statuses_changed

from .common import model_save, model_update


@transaction.atomic
def plan_create(*, year, title, actor, issuing_body="", doc_number="", preamble="", closing_note="",
                status=Plan.Status.DRAFT):
    plan = Plan(year=year, title=title.strip(), issuing_body=issuing_body.strip(), doc_number=doc_number.strip(),
                preamble=preamble, closing_note=closing_note, status=status)
    return model_save(plan, actor=actor)


@transaction.atomic
def plan_update(*, plan, data, actor):
    return model_update(instance=plan, data=data, actor=actor)


@transaction.atomic
def section_create(*, plan, number, title, text=""):
    section = Section(plan=plan, number=number, title=title.strip(), text=text)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_update(*, section, data):
    for name, value in data.items():
        setattr(section, name, value)
    section.full_clean()
    section.save(update_fields=list(data))
    return section


@transaction.atomic
def task_create(*, plan, section, number, title, actor, content="", label="", lead=None, cooperating=(),
                co_leads=(), **fields):
    """A new task; its departments (and so its object permissions) are set by task_assign_departments."""
    task = model_save(
        Task(plan=plan, section=section, number=number, label=label, title=title.strip(), content=content, **fields),
        actor=actor,
    )
    if lead is not None or cooperating or co_leads:
        task_assign_departments(task=task, lead=lead, cooperating=cooperating, co_leads=co_leads, actor=actor)
    return task


@transaction.atomic
def task_update(*, task, data, actor, expected_version=None):
    """Plain fields of a task (not its departments: see task_assign_departments)."""
    if {"lead_department", "co_lead_departments", "cooperating_departments"} & set(data):
        raise ValueError("departments are assigned with task_assign_departments, which moves the permissions")
    return model_update(instance=task, data=data, actor=actor, expected_version=expected_version)


@transaction.atomic
def task_assign_departments(*, task, lead, cooperating, actor, co_leads=(), owner_text=None):
    """Set the lead, joint lead and cooperating departments and move object permissions with
    them. A department is listed once: as lead, else joint lead, else cooperating."""
    co_leads = _distinct([d for d in co_leads if d != lead])
    cooperating = _distinct([d for d in cooperating if d != lead and d not in co_leads])
    data = {"lead_department": lead}
    if owner_text is not None:
        data["owner_text"] = owner_text.strip()[:300]
    model_update(instance=task, data=data, actor=actor)
    task.co_lead_departments.set(co_leads)
    task.cooperating_departments.set(cooperating)
    permissions.sync_task_grants(task)
    return task


def _distinct(departments):
    seen, unique = set(), []
    for department in departments:
        if department.pk not in seen:
            seen.add(department.pk)
            unique.append(department)
    return unique


@transaction.atomic
def tasks_record_bulk_import(*, created, updated, cooperating, actor, co_leads=None):
    """Finish tasks an import wrote with bulk_create / bulk_update, which send no signals.

    `created` and `updated` are task ids; `cooperating` and `co_leads` map each to the ids of its
    cooperating and joint lead departments. Sets those links, writes one history record per task
    (created "+", changed "~") with its snapshots of both, as saving each task would have, and
    moves the object permissions: a fixed number of statements per 5,000 tasks.
    """
    task_ids = [*created, *updated]
    if not task_ids:
        return
    co_leads = co_leads or {}
    _set_links_in_bulk(Task.cooperating_departments.through, task_ids, cooperating)
    _set_links_in_bulk(Task.co_lead_departments.through, task_ids, {t: co_leads.get(t, ()) for t in task_ids})
    when = timezone.now()
    _record_task_history_in_bulk(created, history_type="+", actor=actor, when=when)
    _record_task_history_in_bulk(updated, history_type="~", actor=actor, when=when)
    permissions.sync_grants_for_tasks(task_ids)
    # Bulk writes send no signals. Created tasks have a fresh stamp already.
    for chunk in chunks(updated):
        statuses_changed(Task.objects.filter(pk__in=chunk))
    data_changed()


def _set_links_in_bulk(link, task_ids, wanted):
    """Make each task's rows in an m2m table the department ids `wanted[task id]`."""
    present, stale = set(), []
    for chunk in chunks(task_ids):
        for link_id, task_id, department_id in link.objects.filter(task_id__in=chunk).values_list(
            "pk", "task_id", "department_id"
        ):
            if department_id in wanted[task_id]:
                present.add((task_id, department_id))
            else:
                stale.append(link_id)
    for chunk in chunks(stale):
        link.objects.filter(pk__in=chunk).delete()
    insert_rows(link, ["task", "department"], [
        (task_id, department_id) for task_id in task_ids for department_id in dict.fromkeys(wanted[task_id])
        if (task_id, department_id) not in present
    ])


def _record_task_history_in_bulk(task_ids, *, history_type, actor, when):
    """The history records `Task.save()` would have written, copied from the saved rows."""
    history = Task.history.model
    tracked = [field.name for field in history.tracked_fields]
    when = datetime_param(when)
    for chunk in chunks(task_ids):
        copied = ", ".join(column(Task, name) for name in tracked)
        insert_select(
            history,
            [*tracked, "history_date", "history_user", "history_type"],
            f"SELECT {copied}, %s, %s, %s FROM {table(Task)} WHERE {column(Task, 'id')} IN ({placeholders(chunk)})",
            [when, actor.pk if actor else None, history_type, *chunk],
        )
        for snapshot, link in ((history.cooperating_departments.model, Task.cooperating_departments.through),
                               (history.co_lead_departments.model, Task.co_lead_departments.through)):
            insert_select(
                snapshot,
                ["id", "task", "department", "history"],
                f"SELECT l.{column(link, 'id')}, l.{column(link, 'task')}, l.{column(link, 'department')}, "
                f"h.{column(history, 'history_id')} FROM {table(link)} l JOIN {table(history)} h "
                f"ON h.{column(history, 'id')} = l.{column(link, 'task')} AND h.{column(history, 'history_date')} = %s "
                f"WHERE l.{column(link, 'task')} IN ({placeholders(chunk)})",
                [when, *chunk],
            )


@transaction.atomic
def task_set_schedule(
    *, task, deadline, deadline_text, actor, responsible_leader=None, responsible_person="",
    expected_version=None,
):
    return task_update(task=task, actor=actor, expected_version=expected_version, data={
        "deadline": deadline, "deadline_text": deadline_text,
        "responsible_leader": responsible_leader, "responsible_person": responsible_person,
    })


@transaction.atomic
def task_update_responsible_person(*, task, responsible_person, actor, expected_version):
    return task_update(task=task, data={"responsible_person": responsible_person.strip()}, actor=actor,
                       expected_version=expected_version)


@transaction.atomic
def task_complete(*, task, completed_on, actor):
    return task_update(task=task, actor=actor, data={
        "state": Task.State.COMPLETED, "completed_on": completed_on, "percent_complete": 100,
    })
