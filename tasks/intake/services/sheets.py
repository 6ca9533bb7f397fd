"""Importing a task list (Excel): preview and confirm run the same code, all rows or none."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from departments import audit

from tasks import services as task_services
from tasks.formats import validate_plan_year
from tasks.models import Plan, Task

from ..matching import KEEP_AS_TEXT, UnitDirectory
from ..task_sheet import parse_number, read_task_sheet
from ..units import split_units


@dataclass
class ImportRow:
    line: int
    number: object
    title: str
    kind: str  # new / changed / unchanged / error
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    section: str = ""
    leads: list = field(default_factory=list)  # UnitView: the names as written, with how each matched
    cooperating: list = field(default_factory=list)
    deadline: object = None
    deadline_text: str = ""


@dataclass
class ImportReport:
    plan_year: int
    columns: dict
    unknown_columns: list
    unmatched: list  # unit names that match no department: the preview asks what each is
    problems: list
    rows: list = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self):
        return not self.problems and not any(row.kind == "error" for row in self.rows)

    def count(self, kind):
        return sum(1 for row in self.rows if row.kind == kind)

    @property
    def warning_count(self):
        return sum(len(row.warnings) for row in self.rows)


def _file_problems(rows):
    problems, seen = [], {}
    for row in rows:
        number = parse_number(row.values.get("number"))
        if number is None and row.numbered is None:
            problems.append(_("Row %(line)d, 序号: “%(value)s” is not a whole number.")
                            % {"line": row.line, "value": row.values.get("number")})
        number = number or row.numbered
        if number in seen:
            problems.append(
                _("序号 %(number)d appears twice (rows %(first)d and %(second)d).")
                % {"number": number, "first": seen[number], "second": row.line}
            )
        elif number is not None:
            seen[number] = row.line
    return problems


def _unit_names(rows):
    return [name for row in rows for key in ("lead_department", "cooperating_departments")
            for name in split_units(str(row.values.get(key) or ""))]


def task_sheet_import(*, handle, plan_year, actor, dry_run=True, unit_choices=None, default_choice=KEEP_AS_TEXT):
    """Read a task list and import it into the plan of `plan_year`: all rows or none.

    With `dry_run` (the preview) everything is written inside a transaction that is then rolled
    back, so the preview shows exactly what the real import will do. Unit names that match no
    department follow `unit_choices` (map, create, keep as text; `default_choice` otherwise).
    Raises TaskSheetError for a file that cannot be read at all.
    """
    from ..bulk_rows import import_rows_in_bulk
    from ..resources import TaskResource, item_rows, task_sheet_dataset

    validate_plan_year(plan_year)
    sheet = read_task_sheet(handle)
    rows = item_rows(sheet)
    dataset = task_sheet_dataset(sheet, rows)
    names = _unit_names(rows)
    directory = UnitDirectory(names)
    report = ImportReport(
        plan_year=plan_year,
        columns=sheet.columns,
        unknown_columns=sheet.unknown_columns,
        unmatched=directory.unmatched(names),
        problems=_file_problems(rows),
    )
    if report.problems:
        return report
    with transaction.atomic():
        plan = Plan.objects.filter(year=plan_year).first()
        if plan is None:
            plan = task_services.plan_create(year=plan_year, title=f"{plan_year}年工作要点", actor=actor)
        resource = TaskResource(plan=plan, actor=actor, unit_choices=unit_choices, default_choice=default_choice)
        column_of = {f.attribute: f.column_name for f in resource.get_import_fields()}
        result = import_rows_in_bulk(resource, dataset)
        for sheet_row, row_result, values in zip(rows, result.rows, dataset.dict):
            report.rows.append(_report_row(sheet_row, row_result, values, column_of, directory))
        for base_error in result.base_errors:
            report.problems.append(str(base_error.error))
        report.applied = not dry_run and report.ok
        if not report.applied:
            transaction.set_rollback(True)
        else:
            audit.record("import", user=actor, detail=f"task list into {plan_year}: {len(report.rows)} rows")
    return report


def _report_row(sheet_row, row_result, values, column_of, directory):
    line, instance = sheet_row.line, row_result.instance
    errors = []
    if row_result.validation_error is not None:
        for attribute, messages in row_result.validation_error.message_dict.items():
            column = column_of.get(attribute, attribute)
            errors += [_("Row %(line)d, %(column)s: %(message)s") % {"line": line, "column": column, "message": m}
                       for m in messages]
    errors += [_("Row %(line)d: %(message)s") % {"line": line, "message": e.error} for e in row_result.errors]
    kind = {"new": "new", "update": "changed", "skip": "unchanged"}.get(row_result.import_type, "error")
    if errors:
        kind = "error"
    warnings = [_("Row %(line)d, 完成时限: %(message)s") % {"line": line, "message": message}
                for message in getattr(instance, "_warnings", [])]
    if sheet_row.numbered is not None:
        warnings.append(_("Row %(line)d has no 序号; it was numbered %(number)d.")
                        % {"line": line, "number": sheet_row.numbered})

    def views(key):
        return [directory.view(name) for name in split_units(str(sheet_row.values.get(key) or ""))]

    return ImportRow(
        line=line, number=values.get("序号"), title=str(values.get("工作任务") or ""), kind=kind,
        changes=list(getattr(instance, "_changed_columns", [])) if kind in ("new", "changed") else [],
        errors=errors, warnings=warnings, section=str(values.get("板块") or ""),
        leads=views("lead_department"), cooperating=views("cooperating_departments"),
        deadline=getattr(instance, "deadline", None), deadline_text=str(values.get("完成时限") or ""),
    )


def tasks_with_unclear_deadlines(plan):
    """The plan's tasks whose deadline text names no date the portal can read (recurring and
    open-ended phrases such as 每季度 or 持续推进 are clear: they have no date by design)."""
    from ..deadlines import DeadlineError, parse_deadline

    unclear = []
    for task in Task.objects.filter(plan=plan, deadline=None).exclude(deadline_text="").select_related(
        "section", "lead_department"
    ).order_by("number"):
        try:
            parse_deadline(task.deadline_text, plan_year=plan.year)
        except DeadlineError as error:
            task.deadline_problem = str(error)
            unclear.append(task)
    return unclear


def plan_export_dataset(plan):
    """The plan's task list in the import columns, so that export → import changes nothing."""
    from ..resources import TaskResource

    queryset = (
        Task.objects.filter(plan=plan)
        .select_related("section", "lead_department", "responsible_leader")
        .prefetch_related("co_lead_departments", "cooperating_departments")
        .order_by("number")
    )
    return TaskResource(plan=plan).export(queryset)
