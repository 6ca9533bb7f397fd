"""The import page's and the commands' path through a task list: the same column rules as the
library's (`TaskResource.apply_columns`), without a model instance, a diff and a row result per
row. A province's list of 20,000 rows spent most of its import in django-import-export's per-row
machinery (about 120 µs a row); here a row is a plain record compared as a tuple, and only the
rows that are new or changed become Task instances, written with bulk_create / bulk_update.
The admin keeps the library's path (preview, confirm) on the same resource and rules.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection

from tasks import services
from tasks.bulk_sql import insert_rows, new_ids
from tasks.models import Task

from .resources import IMPORTED_MODEL_FIELDS, VALIDATED_FIELDS

BATCH = 2000
LOADED_FIELDS = ("pk", "number", "section_id", "title", "content", "lead_department_id", "owner_text",
                 "responsible_leader_id", "responsible_person", "deadline", "deadline_text", "version")


class PlainTask:
    """What a task's imported columns hold, as plain attributes: the target of the column rules.

    Related objects are kept as ids (`section_id` …); the rules set objects (`section = …`),
    which the properties turn into ids, so comparisons are on plain values."""

    __slots__ = ("pk", "number", "section_id", "title", "content", "lead_department_id", "owner_text",
                 "responsible_leader_id", "responsible_person", "deadline", "deadline_text", "version",
                 "_co_lead_ids", "_cooperating_ids", "_warnings", "_changed_columns", "_objects")

    def __init__(self, **values):
        self._objects = {}
        self.pk, self.section_id, self.lead_department_id, self.responsible_leader_id = None, None, None, None
        self.title = self.content = self.owner_text = self.responsible_person = self.deadline_text = ""
        self.deadline, self.version, self.number = None, 0, None
        self._co_lead_ids, self._cooperating_ids, self._warnings, self._changed_columns = (), frozenset(), [], []
        for name, value in values.items():
            setattr(self, name, value)

    def _set_related(self, name, value):
        self._objects[name] = value
        setattr(self, f"{name}_id", value.pk if value is not None else None)

    section = property(lambda self: self._objects.get("section"), lambda self, v: self._set_related("section", v))
    lead_department = property(lambda self: self._objects.get("lead_department"),
                               lambda self, v: self._set_related("lead_department", v))
    responsible_leader = property(lambda self: self._objects.get("responsible_leader"),
                                  lambda self, v: self._set_related("responsible_leader", v))

    def model_values(self):
        return {name: getattr(self, name) for name in
                ("number", "section_id", "title", "content", "lead_department_id", "owner_text",
                 "responsible_leader_id", "responsible_person", "deadline", "deadline_text", "version")}


@dataclass
class RowOutcome:
    """One row's result, shaped as the library's RowResult where the report reads it."""

    import_type: str  # new / update / skip / invalid / error
    instance: object
    validation_error: ValidationError | None = None
    errors: list = field(default_factory=list)


@dataclass
class RowError:
    error: str


@dataclass
class BulkImportResult:
    rows: list
    base_errors: list = field(default_factory=list)

    def has_errors(self):
        return any(row.import_type in ("invalid", "error") for row in self.rows)


def _loaded_tasks(plan):
    tasks = {row[1]: PlainTask(**dict(zip(LOADED_FIELDS, row)))
             for row in Task.objects.filter(plan=plan).values_list(*LOADED_FIELDS)}
    by_pk = {task.pk: task for task in tasks.values()}
    for relation, attribute in ((Task.co_lead_departments, "_co_lead_ids"), (Task.cooperating_departments,
                                                                              "_cooperating_ids")):
        linked = {}
        for task_id, department_id in relation.through.objects.filter(task__plan=plan).order_by("pk").values_list(
            "task_id", "department_id"
        ):
            linked.setdefault(task_id, []).append(department_id)
        for task_id, ids in linked.items():
            setattr(by_pk[task_id], attribute, tuple(ids) if attribute == "_co_lead_ids" else frozenset(ids))
    return tasks


def _field_errors(record, errors):
    """The model's own checks on the text a sheet sets, as full_clean makes them on the library's path."""
    for name in VALIDATED_FIELDS - set(errors):
        model_field = Task._meta.get_field(name)
        try:
            setattr(record, model_field.attname, model_field.clean(getattr(record, model_field.attname), None))
        except ValidationError as error:
            errors[name] = error.messages
    return errors


def import_rows_in_bulk(resource, dataset):
    """Import `dataset` into `resource.plan` with `resource`'s column rules; rows that are
    unchanged are not written. Nothing is written when a row has an error (the caller's
    transaction is rolled back), as on the library's path."""
    resource.before_import(dataset)
    existing = _loaded_tasks(resource.plan)
    number_field = resource.fields["number"]
    outcomes = []
    for row in dataset.dict:
        number = number_field.clean(row)
        before = existing.get(number)
        record = PlainTask(**{name: getattr(before, name) for name in (*LOADED_FIELDS, "_co_lead_ids",
                                                                        "_cooperating_ids")}) if before else PlainTask()
        try:
            errors = resource.apply_columns(record, row)
        except ValidationError as error:  # e.g. a new section the model refuses
            outcomes.append(RowOutcome("invalid", record, error))
            continue
        previous = resource._comparable(before) if before else None
        if not errors and resource._comparable(record) == previous:
            # The values the task holds already, which passed these checks when they were saved.
            outcomes.append(RowOutcome("skip", record))
            continue
        errors = _field_errors(record, errors)
        if errors:
            outcomes.append(RowOutcome("invalid", record, ValidationError(errors)))
            continue
        after = resource._comparable(record)
        if after == previous:
            outcomes.append(RowOutcome("skip", record))
            continue
        record._changed_columns = [column for column, value in after.items()
                                   if previous is None or previous[column] != value]
        record.version = record.version + 1
        outcomes.append(RowOutcome("update" if before else "new", record))
    result = BulkImportResult(outcomes)
    if not result.has_errors():
        _write(resource, [o.instance for o in outcomes if o.import_type == "new"],
               [o.instance for o in outcomes if o.import_type == "update"])
    return result


def _insert_new(plan, created):
    """New tasks: on PostgreSQL by COPY with ids taken from the table's sequence first (no model
    instance, no bound parameter per value); elsewhere bulk_create."""
    if connection.vendor != "postgresql":
        new_tasks = [Task(plan=plan, **record.model_values()) for record in created]
        Task.objects.bulk_create(new_tasks, batch_size=BATCH)
        for record, task in zip(created, new_tasks):
            record.pk = task.pk
        return
    fields = [field for field in Task._meta.concrete_fields]
    # Every column a new task starts with (a stamp shared by the new tasks is as good as one each).
    defaults = {field.attname: field.get_default() for field in fields}
    for record, pk in zip(created, new_ids(Task, len(created))):
        record.pk = pk
    names = [field.attname for field in fields]
    rows = []
    for record in created:
        values = {**defaults, "id": record.pk, "plan_id": plan.pk, **record.model_values()}
        rows.append(tuple(values[name] for name in names))
    insert_rows(Task, [field.name for field in fields], rows)


def _write(resource, created, updated):
    plan = resource.plan
    _insert_new(plan, created)
    changed = [Task(pk=record.pk, plan=plan, **record.model_values()) for record in updated]
    Task.objects.bulk_update(changed, IMPORTED_MODEL_FIELDS, batch_size=BATCH)
    saved = [*created, *updated]
    services.tasks_record_bulk_import(
        created=[record.pk for record in created],
        updated=[record.pk for record in updated],
        cooperating={record.pk: record._cooperating_ids for record in saved},
        co_leads={record.pk: record._co_lead_ids for record in saved},
        actor=resource.actor,
    )
