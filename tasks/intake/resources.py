"""The django-import-export resource for task lists: the admin, the import page, the commands and
the template all use this one set of columns (序号 … 完成时限), so export → import is a round trip.

Files are read by `tasks.intake.task_sheet` (the one Excel reader) and handed over as a tablib Dataset whose
headers are the column names below.
"""

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from tasks import services
from tasks.models import Section, Task
from tasks.sheets import Column

from .deadlines import DeadlineError, parse_deadline
from .matching import KEEP_AS_TEXT, UnitDirectory, resolve_owners
from .task_sheet import parse_number, parse_section
from .units import split_units


def _cell(header):
    return lambda row: row.get(header)


# The task list's columns: the resource's fields, the export, the CSV and the template all read
# this list (rows are the resource's exported dicts, keyed by header).
TASK_SHEET_COLUMNS = [
    Column(header, width, _cell(header), key=key) for key, header, width in [
        ("number", "序号", 6), ("section", "板块", 24), ("title", "工作任务", 28), ("content", "具体内容", 60),
        ("lead_department", "牵头单位", 14), ("cooperating_departments", "配合单位", 20),
        ("responsible_leader", "责任领导", 10), ("responsible_person", "责任人", 10), ("deadline", "完成时限", 12),
    ]
]
COLUMNS = {column.key: column.header for column in TASK_SHEET_COLUMNS}


class ImportLookups:
    """Everything the rows of one import refer to, loaded in a few queries before the first row.

    Looking a department, leader or section up per row was most of an import's time; these
    dictionaries make each lookup a dict access. Sections a sheet names for the first time are
    created as the rows arrive and remembered.
    """

    def __init__(self, plan, dataset, *, unit_choices=None, default_choice=KEEP_AS_TEXT):
        self.plan = plan
        names, leader_names = set(), set()
        for row in dataset.dict:
            names.update(split_units(str(row.get(COLUMNS["lead_department"]) or "")))
            names.update(split_units(str(row.get(COLUMNS["cooperating_departments"]) or "")))
            leader_names.add(str(row.get(COLUMNS["responsible_leader"]) or "").strip())
        self.units = UnitDirectory(names)
        self.unit_choices, self.default_choice = unit_choices or {}, default_choice
        self.leaders = {}
        for user in get_user_model().objects.filter(first_name__in=leader_names - {""}, is_active=True):
            self.leaders.setdefault(user.first_name, []).append(user)
        self.sections = {section.number: section for section in Section.objects.filter(plan=plan)}

    def owners(self, lead_cell, cooperating_cell):
        """Departments for a row's owner cells: several units in a lead cell all lead (the first is
        the lead), collective owners and names kept as text go to the task's owner text."""
        return resolve_owners(
            leads=split_units(str(lead_cell or "")), cooperating=split_units(str(cooperating_cell or "")),
            directory=self.units, choices=self.unit_choices, default=self.default_choice,
        )

    def section(self, number, title):
        if number is None:
            existing = next((s for s in self.sections.values() if s.title == title), None)
            if existing:
                return existing
            number = max(self.sections, default=0) + 1
        if number not in self.sections:
            self.sections[number] = services.section_create(plan=self.plan, number=number, title=title)
        return self.sections[number]


class SectionWidget(widgets.Widget):
    """"一、党建工作" ⇄ the plan's section 1 (created when the sheet names a new one)."""

    lookups = None

    def clean(self, value, row=None, **kwargs):
        number, title = parse_section(value)
        if not title and number is None:
            raise ValueError("板块不能为空")
        return self.lookups.section(number, title)

    def render(self, value, obj=None, **kwargs):
        return f"{value.label}{value.title}" if value else ""


class NumberWidget(widgets.IntegerWidget):
    """序号 as the reader reads it (`parse_number`: "3", "3.", "3、"), without the library's
    locale-aware number parsing, which costs more than the rest of a row's rules."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        number = parse_number(value)
        if number is None:
            raise ValueError(f"“{value}”不是整数")
        return number


class UnitsWidget(widgets.Widget):
    """Owner cells are resolved together in `TaskResource.import_instance` (`ImportLookups.owners`)."""

    def clean(self, value, row=None, **kwargs):
        return None

    def render(self, value, obj=None, **kwargs):
        # A list while importing; a related manager (prefetched) when exporting.
        departments = value if isinstance(value, list) else list(value.all()) if value is not None else []
        return "、".join(d.name for d in sorted(departments, key=lambda d: (d.order, d.name)))


class LeaderWidget(widgets.ForeignKeyWidget):
    """A responsible leader by full name (the name leaders sign with)."""

    lookups = None

    def __init__(self):
        super().__init__(get_user_model(), field="first_name")

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            return None
        users = self.lookups.leaders.get(name, [])
        if len(users) != 1:
            raise ValueError(f"责任领导“{name}”{'不存在' if not users else '有重名'}")
        return users[0]

    def render(self, value, obj=None, **kwargs):
        return value.get_full_name() if value else ""


class DeadlineWidget(widgets.Widget):
    def __init__(self, plan_year):
        super().__init__()
        self.plan_year = plan_year

    def clean(self, value, row=None, **kwargs):
        # The text as written; its date (or the warning that it has none) is set in import_instance.
        if hasattr(value, "isoformat"):
            return parse_deadline(value, plan_year=self.plan_year)[1]
        return str(value or "").strip()

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PlanTaskLoader(CachedInstanceLoader):
    """All of the plan's tasks and their cooperating departments in two queries, keyed by number.

    Unlike the library's cached loader it does not parse every row's 序号 up front, so an
    unreadable number is that row's error rather than a failure of the whole import.
    """

    def __init__(self, resource, dataset=None):
        self.resource, self.dataset = resource, dataset
        self.pk_field = resource.fields["number"]
        tasks = {task.pk: task for task in Task.objects.filter(plan=resource.plan)}
        for attribute, relation in (("_cooperating_ids", Task.cooperating_departments),
                                    ("_co_lead_ids", Task.co_lead_departments)):
            linked = {task_id: [] for task_id in tasks}
            for task_id, department_id in relation.through.objects.filter(task__plan=resource.plan).order_by(
                "pk"
            ).values_list("task_id", "department_id"):
                linked[task_id].append(department_id)
            for task_id, task in tasks.items():
                setattr(task, attribute, tuple(linked[task_id]) if attribute == "_co_lead_ids"
                        else frozenset(linked[task_id]))
        self.all_instances = {task.number: task for task in tasks.values()}

    def get_instance(self, row):
        return self.all_instances.get(self.pk_field.clean(row))


# Model fields an import may change; bulk_update writes exactly these.
IMPORTED_MODEL_FIELDS = ["section", "title", "content", "lead_department", "owner_text", "responsible_leader",
                         "responsible_person", "deadline", "deadline_text", "version"]
# What full_clean checks on an imported row: the text the sheet sets. The related objects were
# just loaded (validating them would query per row) and the other fields are not imported.
VALIDATED_FIELDS = {"number", "title", "content", "responsible_person", "deadline", "deadline_text"}


class TaskResource(resources.ModelResource):
    """Rows are read one by one, but written in bulk when all are read (the library's bulk mode):
    tasks with bulk_create / bulk_update, then cooperating departments, history records and
    object permissions in `services.tasks_record_bulk_import`.
    """

    number = fields.Field("number", COLUMNS["number"], NumberWidget())
    section = fields.Field("section", COLUMNS["section"], SectionWidget())
    title = fields.Field("title", COLUMNS["title"])
    content = fields.Field("content", COLUMNS["content"])
    lead_department = fields.Field("lead_department", COLUMNS["lead_department"], UnitsWidget(), readonly=True)
    cooperating_departments = fields.Field(
        "cooperating_departments", COLUMNS["cooperating_departments"], UnitsWidget(), readonly=True
    )
    responsible_leader = fields.Field("responsible_leader", COLUMNS["responsible_leader"], LeaderWidget())
    responsible_person = fields.Field("responsible_person", COLUMNS["responsible_person"])
    deadline = fields.Field("deadline_text", COLUMNS["deadline"])

    class Meta:
        model = Task
        fields = tuple(COLUMNS)
        import_id_fields = ("number",)
        instance_loader_class = PlanTaskLoader
        use_bulk = True
        batch_size = None  # everything at the end: an import is all rows or none anyway
        skip_unchanged = True
        skip_diff = True  # the changed columns are computed here, from the loaded values
        report_skipped = True
        store_instance = True
        clean_model_instances = True

    def __init__(self, *, plan=None, actor=None, unit_choices=None, default_choice=KEEP_AS_TEXT, **kwargs):
        super().__init__(**kwargs)
        self.plan = plan
        self.actor = actor
        self.unit_choices, self.default_choice = unit_choices, default_choice
        self.lookups = None
        # Reading rows needs the plan (sections, the year of "6月底"); writing rows does not.
        self.fields["deadline"].widget = DeadlineWidget(plan.year if plan else None)
        self.saved = []
        self._import_fields = None
        self._not_validated = [f.name for f in Task._meta.fields if f.name not in VALIDATED_FIELDS]

    def dehydrate_lead_department(self, task):
        """The lead, the joint leads and the owners kept as text: export → import is a round trip."""
        names = [d.name for d in task.lead_departments]
        return "、".join(names + ([task.owner_text] if task.owner_text else []))

    def get_queryset(self):
        return (
            Task.objects.filter(plan=self.plan)
            .select_related("section", "lead_department", "responsible_leader")
            .prefetch_related("co_lead_departments", "cooperating_departments")
        )

    def before_import(self, dataset, **kwargs):
        if self.plan is None:
            raise ValidationError("请选择导入到哪个年度的工作要点。")
        self.lookups = ImportLookups(self.plan, dataset, unit_choices=self.unit_choices,
                                     default_choice=self.default_choice)
        for field in self.fields.values():
            if hasattr(field.widget, "lookups"):
                field.widget.lookups = self.lookups

    def init_instance(self, row=None):
        task = Task(plan=self.plan)
        task._cooperating_ids, task._co_lead_ids = frozenset(), ()
        return task

    def get_import_fields(self):
        # Asked for three times per row; the answer never changes during an import.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def get_export_order(self):
        return tuple(COLUMNS)

    def import_instance(self, instance, row, **kwargs):
        instance._before = self._comparable(instance) if instance.pk else None
        errors = self.apply_columns(instance, row)
        if errors:
            raise ValidationError(errors)

    def apply_columns(self, target, row):
        """The column rules: set on `target` what the row's cells say, and return the errors by
        attribute. `target` is a Task on the library's path (the admin) and a PlainTask on the
        bulk path (`import_rows_in_bulk`): both read every cell through these rules."""
        errors = {}
        for field in self.get_import_fields():
            if not field.attribute or field.readonly or field.column_name not in row:
                continue
            try:
                field.save(target, row)
            except ValueError as error:
                errors[field.attribute] = [force_str(error)]
        target._warnings = []
        if COLUMNS["lead_department"] in row or COLUMNS["cooperating_departments"] in row:
            owners = self.lookups.owners(row.get(COLUMNS["lead_department"]), row.get(COLUMNS["cooperating_departments"]))
            target.lead_department = owners.lead
            target._co_lead_ids = tuple(d.pk for d in owners.co_leads)
            target._cooperating_ids = frozenset(d.pk for d in owners.cooperating) - {owners.lead and owners.lead.pk}
            target.owner_text = owners.owner_text[:300]
        if COLUMNS["deadline"] in row:
            try:
                target.deadline = parse_deadline(row[COLUMNS["deadline"]], plan_year=self.plan.year)[0]
            except DeadlineError as error:
                # Kept as written with no date: a warning in the preview, not a refused file.
                target.deadline = None
                target._warnings.append(str(error))
        return errors

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        return self._comparable(instance) == instance._before

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Numbers are checked for duplicates in the file and matched to this plan's tasks by
        # the loader, and the related objects were just loaded: no per-row query is needed.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, *self._not_validated], validate_unique=False,
                                validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance.version = (instance.version or 0) + 1 if instance.pk else 1
        after, before = self._comparable(instance), instance._before
        instance._changed_columns = [
            column for column, value in after.items() if before is None or before[column] != value
        ]
        self.saved.append(instance)

    def get_bulk_update_fields(self):
        return IMPORTED_MODEL_FIELDS

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return  # nothing of this import is kept
        services.tasks_record_bulk_import(
            created=[task.pk for task in self.saved if task._before is None],
            updated=[task.pk for task in self.saved if task._before is not None],
            cooperating={task.pk: task._cooperating_ids for task in self.saved},
            co_leads={task.pk: task._co_lead_ids for task in self.saved},
            actor=self.actor,
        )

    @staticmethod
    def _comparable(task):
        """What each column sets on a task, as plain values (ids, not objects) for comparison."""
        return {
            COLUMNS["number"]: task.number,
            COLUMNS["section"]: task.section_id,
            COLUMNS["title"]: task.title,
            COLUMNS["content"]: task.content,
            COLUMNS["lead_department"]: (task.lead_department_id, task._co_lead_ids, task.owner_text),
            COLUMNS["cooperating_departments"]: task._cooperating_ids,
            COLUMNS["responsible_leader"]: task.responsible_leader_id,
            COLUMNS["responsible_person"]: task.responsible_person,
            COLUMNS["deadline"]: (task.deadline_text, task.deadline),
        }


def task_sheet_dataset(sheet, rows=None):
    """A tablib Dataset in the resource's columns from a `tasks.intake.task_sheet.TaskSheet`.

    Every row gets a section and a number: 板块 carries down (task lists leave it blank under a
    section's first task, merged or not); without a 板块 column the band rows (一、党建工作 on a row
    of its own) or else the sheet's name give it. A row without 序号 takes the next number. The
    rows of the dataset are the sheet's item rows (`item_rows`), in order.
    """
    present = [key for key in COLUMNS if key in sheet.columns or key in ("number", "section")]
    dataset = tablib.Dataset(headers=[COLUMNS[key] for key in present])
    section, last_number = "", 0
    for row in rows if rows is not None else item_rows(sheet):
        values = dict(row.values)
        if row.section_band:
            section = row.section_band
        section = values.get("section") or section or sheet.name or "未分组任务"
        values["section"] = section
        number = parse_number(values.get("number"))
        if number is None and values.get("number") in ("", None):
            values["number"] = number = last_number + 1
            row.numbered = number
        last_number = max(last_number, number or 0)
        dataset.append([values.get(key, "") for key in present])
    return dataset


def item_rows(sheet):
    """The sheet's task rows, each with the band heading above it (`section_band`), in order."""
    rows, band = [], ""
    for row in sheet.rows:
        if row.band:
            band = row.band
            continue
        row.section_band, row.numbered = band, None
        band = ""
        rows.append(row)
    return rows
