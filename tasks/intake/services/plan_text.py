"""A plan from its published text: the preview of what will be saved, and the saving."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from departments import audit
from tasks import services as task_services
from tasks.formats import validate_plan_year, whole_number
from tasks.models import Plan

from ..deadlines import DeadlineError, parse_deadline
from ..matching import KEEP_AS_TEXT, UnitDirectory, resolve_owners
from ..plan_text import ParsedPlan, ParsedSection, ParsedTask
from ..units import split_units


@dataclass
class TaskPreview:
    task: ParsedTask
    leads: list
    cooperating: list
    deadline: object = None
    deadline_problem: str = ""


@dataclass
class PlanPreview:
    """What saving the parsed plan would store, for the page to show and correct."""

    plan: ParsedPlan
    tasks: dict = field(default_factory=dict)  # id(ParsedTask) -> TaskPreview
    unmatched: list = field(default_factory=list)
    warning_groups: list = field(default_factory=list)  # (message, [warnings])

    @property
    def sections(self):
        """[(section, [TaskPreview])] for the page."""
        return [(section, [self.tasks[id(task)] for task in section.tasks]) for section in self.plan.sections]

    @property
    def deadline_problems(self):
        return sum(1 for item in self.tasks.values() if item.deadline_problem)


def plan_text_preview(parsed, *, year):
    names = [name for task in parsed.tasks for name in [*task.leads, *task.cooperating]]
    directory = UnitDirectory(names)
    preview = PlanPreview(parsed, unmatched=directory.unmatched(names))

    for task in parsed.tasks:
        item = TaskPreview(task, [directory.view(n) for n in task.leads], [directory.view(n) for n in task.cooperating])
        if task.deadline_text:
            try:
                item.deadline = parse_deadline(task.deadline_text, plan_year=year)[0]
            except DeadlineError as error:
                item.deadline_problem = str(error)
        preview.tasks[id(task)] = item
    groups = {}
    for warning in parsed.warnings:
        groups.setdefault(warning.message, []).append(warning)
    preview.warning_groups = list(groups.items())
    return preview


@transaction.atomic
def plan_create_from_text(*, parsed, year, title, actor, issuing_body="", doc_number="", unit_choices=None,
                          default_choice=KEEP_AS_TEXT):
    """Create a draft plan with its sections and tasks from a (corrected) parse: all or nothing.

    Owner names are matched to departments by name or alias; the others follow `unit_choices`
    (map, create, keep as text; `default_choice` for names without one); collective owners are
    kept as text on the task. A deadline the portal cannot read keeps its text, with no date.
    """
    validate_plan_year(year)
    if Plan.objects.filter(year=year).exists():
        raise ValidationError(_("A plan for %(year)d already exists; nothing was imported.") % {"year": year})
    numbers = [section.number for section in parsed.sections]
    if len(set(numbers)) != len(numbers) or not all(0 < number < 1000 for number in numbers):
        raise ValidationError(_("Section numbers must be different whole numbers from 1 to 999."))
    if not parsed.sections:
        raise ValidationError(_("No section heading (一、…) was found; nothing was imported."))
    directory = UnitDirectory(name for task in parsed.tasks for name in [*task.leads, *task.cooperating])
    plan = task_services.plan_create(
        year=year, title=title or parsed.title, issuing_body=issuing_body, actor=actor, preamble=parsed.preamble,
        closing_note=parsed.closing_note, doc_number=doc_number or parsed.doc_number,
    )
    number = 0
    for parsed_section in parsed.sections:
        section = task_services.section_create(
            plan=plan, number=parsed_section.number, title=parsed_section.title, text=parsed_section.text)
        for parsed_task in parsed_section.tasks:
            number += 1
            owners = resolve_owners(leads=parsed_task.leads, cooperating=parsed_task.cooperating,
                                    directory=directory, choices=unit_choices or {}, default=default_choice)
            deadline = None
            if parsed_task.deadline_text:
                try:
                    deadline = parse_deadline(parsed_task.deadline_text, plan_year=year)[0]
                except DeadlineError:
                    pass  # kept as written; the preview warned, and the deadline page lists it
            task = task_services.task_create(
                plan=plan, section=section, number=number, label=parsed_task.label, title=parsed_task.title,
                content=parsed_task.content, group=parsed_task.group[:300], actor=actor,
                deadline=deadline, deadline_text=parsed_task.deadline_text[:50],
            )
            if owners.lead or owners.co_leads or owners.cooperating or owners.owner_text:
                task_services.task_assign_departments(
                    task=task, lead=owners.lead, co_leads=owners.co_leads, cooperating=owners.cooperating,
                    owner_text=owners.owner_text, actor=actor,
                )
    audit.record("import", user=actor, obj=plan, detail=f"plan text: {len(parsed.tasks)} tasks")
    return plan


def parsed_plan_from_post(data):
    """Rebuild the parse from the edited preview form (section-N-…, task-N-M-…)."""
    parsed = ParsedPlan(
        title=data.get("title", "").strip(), doc_number=data.get("doc_number", "").strip(),
        preamble=data.get("preamble", ""), closing_note=data.get("closing_note", ""),
    )
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
            text=data.get(f"section-{section_index}-text", "").strip(),
        )
        task_index = 0
        while f"task-{section_index}-{task_index}-title" in data:
            prefix = f"task-{section_index}-{task_index}-"
            if data.get(prefix + "title", "").strip():
                number += 1
                section.tasks.append(ParsedTask(
                    number=number,
                    label=data.get(prefix + "label", ""),
                    printed_label=data.get(prefix + "printed", ""),
                    title=data.get(prefix + "title", "").strip(),
                    content=data.get(prefix + "content", "").strip(),
                    line=0,
                    group=data.get(prefix + "group", "").strip(),
                    leads=split_units(data.get(prefix + "leads", "")),
                    cooperating=split_units(data.get(prefix + "cooperating", "")),
                    deadline_text=data.get(prefix + "deadline", "").strip(),
                ))
            task_index += 1
        parsed.sections.append(section)
        section_index += 1
    return parsed
