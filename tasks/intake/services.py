"""Writes that bring a plan into the portal: from its published text, or from an Excel task list."""

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from departments.models import Department
from departments.services import department_get_or_create
from tasks import services as task_services
from tasks.formats import validate_plan_year, whole_number
from tasks.models import Plan, Task

from .plan_text import split_departments
from .task_sheet import parse_number, read_task_sheet


@transaction.atomic
def plan_create_from_text(*, parsed, year, title, actor, issuing_body="", create_departments=False):
    """Create a draft plan with its sections and tasks from `plan_text.parse_plan_text` output.

    All or nothing: an existing plan for the year, or an owner note naming an unknown department
    (unless `create_departments`), refuses the whole import.
    """
    validate_plan_year(year)
    if Plan.objects.filter(year=year).exists():
        raise ValidationError(_("A plan for %(year)d already exists; nothing was imported.") % {"year": year})
    numbers = [section.number for section in parsed.sections]
    if len(set(numbers)) != len(numbers) or not all(0 < number < 1000 for number in numbers):
        raise ValidationError(_("Section numbers must be different whole numbers from 1 to 999."))
    if not parsed.sections:
        raise ValidationError(_("No section heading (一、…) was found; nothing was imported."))
    named = {
        name for task in parsed.tasks for name in [task.lead_department, *task.cooperating_departments] if name
    }
    known = {d.name: d for d in Department.objects.filter(name__in=named)}
    unknown = sorted(named - set(known))
    if unknown and not create_departments:
        raise ValidationError(
            _("These departments do not exist yet: %(names)s. Create them or allow the import to.")
            % {"names": "、".join(unknown)}
        )
    for name in unknown:
        known[name] = department_get_or_create(name=name)[0]
    plan = task_services.plan_create(year=year, title=title, issuing_body=issuing_body, actor=actor,
                                     preamble=parsed.preamble, closing_note=parsed.closing_note)
    for parsed_section in parsed.sections:
        section = task_services.section_create(plan=plan, number=parsed_section.number, title=parsed_section.title)
        for parsed_task in parsed_section.tasks:
            task_services.task_create(
                plan=plan, section=section, number=parsed_task.number, label=parsed_task.label,
                title=parsed_task.title, content=parsed_task.content, actor=actor,
                lead=known.get(parsed_task.lead_department),
                cooperating=[known[name] for name in parsed_task.cooperating_departments],
            )
    return plan


@dataclass
class ImportRow:
    line: int
    number: object
    title: str
    kind: str  # new / changed / unchanged / error
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass
class ImportReport:
    plan_year: int
    columns: dict
    unknown_columns: list
    missing_departments: list
    problems: list
    rows: list = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self):
        return not self.problems and not any(row.kind == "error" for row in self.rows)

    def count(self, kind):
        return sum(1 for row in self.rows if row.kind == kind)


def _file_problems(sheet):
    problems, seen = [], {}
    for row in sheet.rows:
        number = parse_number(row.values.get("number"))
        if number is None:
            problems.append(_("Row %(line)d: 序号 is missing or not a whole number.") % {"line": row.line})
        elif number in seen:
            problems.append(
                _("序号 %(number)d appears twice (rows %(first)d and %(second)d).")
                % {"number": number, "first": seen[number], "second": row.line}
            )
        else:
            seen[number] = row.line
    return problems


def _missing_departments(sheet):
    names = set()
    for row in sheet.rows:
        names.update(split_departments(str(row.values.get("lead_department") or "")))
        names.update(split_departments(str(row.values.get("cooperating_departments") or "")))
    known = set(Department.objects.filter(name__in=names).values_list("name", flat=True))
    return sorted(names - known)


def task_sheet_import(*, handle, plan_year, actor, dry_run=True, create_departments=False):
    """Read a sheet and import it into the plan of `plan_year`: all rows or none.

    With `dry_run` (the preview) everything is written inside a transaction that is then rolled
    back, so the preview shows exactly what the real import will do. Raises TaskSheetError for a
    file that cannot be read at all.
    """
    from .resources import TaskResource, task_sheet_dataset

    validate_plan_year(plan_year)
    sheet = read_task_sheet(handle)
    report = ImportReport(
        plan_year=plan_year,
        columns=sheet.columns,
        unknown_columns=sheet.unknown_columns,
        missing_departments=_missing_departments(sheet),
        problems=_file_problems(sheet),
    )
    if report.problems:
        return report
    with transaction.atomic():
        plan = Plan.objects.filter(year=plan_year).first()
        if plan is None:
            plan = task_services.plan_create(year=plan_year, title=f"{plan_year}年工作要点", actor=actor)
        if create_departments:
            for name in report.missing_departments:
                department_get_or_create(name=name)
        resource = TaskResource(plan=plan, actor=actor)
        column_of = {f.attribute: f.column_name for f in resource.get_import_fields()}
        result = resource.import_data(task_sheet_dataset(sheet), dry_run=False, use_transactions=False)
        for sheet_row, row_result in zip(sheet.rows, result.rows):
            line, values = sheet_row.line, sheet_row.values
            instance = row_result.instance
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
            report.rows.append(ImportRow(
                line=line,
                number=values.get("number"),
                title=str(values.get("title") or ""),
                kind=kind,
                changes=list(getattr(instance, "_changed_columns", [])) if kind in ("new", "changed") else [],
                errors=errors,
            ))
        for base_error in result.base_errors:
            report.problems.append(str(base_error.error))
        report.applied = not dry_run and report.ok
        if not report.applied:
            transaction.set_rollback(True)
    return report


def plan_export_dataset(plan):
    """The plan's task list in the import columns, so that export → import changes nothing."""
    from .resources import TaskResource

    queryset = (
        Task.objects.filter(plan=plan)
        .select_related("section", "lead_department", "responsible_leader")
        .prefetch_related("cooperating_departments")
        .order_by("number")
    )
    return TaskResource(plan=plan).export(queryset)


def _upload_path(token):
    return Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx"


def store_upload(upload):
    """Keep an uploaded sheet between preview and confirmation, under a random name."""
    token = uuid.uuid4().hex
    path = _upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return token


def upload_exists(token):
    return _upload_path(token).exists()


def open_upload(token):
    return _upload_path(token).open("rb")


def discard_upload(token):
    _upload_path(token).unlink(missing_ok=True)


def parsed_plan_from_post(data):
    """Rebuild the parser's result from the edited preview form (section-N-…, task-N-M-…)."""
    from .plan_text import ParsedPlan, ParsedSection, ParsedTask, split_departments

    parsed = ParsedPlan(preamble=data.get("preamble", ""), closing_note=data.get("closing_note", ""))
    section_index = 0
    number = 0
    while f"section-{section_index}-title" in data:
        number_text = data.get(f"section-{section_index}-number") or str(section_index + 1)
        if whole_number(number_text) is None:
            raise ValidationError(_("Section numbers must be different whole numbers from 1 to 999."))
        section = ParsedSection(
            number=whole_number(number_text),
            title=data.get(f"section-{section_index}-title", "").strip(),
            line=0,
        )
        task_index = 0
        while f"task-{section_index}-{task_index}-title" in data:
            prefix = f"task-{section_index}-{task_index}-"
            if data.get(prefix + "title", "").strip():
                number += 1
                section.tasks.append(ParsedTask(
                    number=number,
                    label=data.get(prefix + "label", ""),
                    title=data.get(prefix + "title", "").strip(),
                    content=data.get(prefix + "content", "").strip(),
                    line=0,
                    lead_department=data.get(prefix + "lead", "").strip(),
                    cooperating_departments=split_departments(data.get(prefix + "cooperating", "")),
                ))
            task_index += 1
        parsed.sections.append(section)
        section_index += 1
    return parsed
