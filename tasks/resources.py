"""The django-import-export resource for task lists: the admin, the import page, the commands and
the template all use this one set of columns (序号 … 完成时限), so export → import is a round trip.

Files are read by `tasks.ledger` (the one Excel reader) and handed over as a tablib Dataset whose
headers are the column names below.
"""

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from departments.models import Department

from . import permissions
from .deadlines import DeadlineError, parse_deadline
from .ledger import parse_section
from .models import Section, Task
from .plan_text import split_departments

COLUMNS = {
    "number": "序号",
    "section": "板块",
    "title": "工作任务",
    "content": "具体内容",
    "lead_department": "牵头单位",
    "cooperating_departments": "配合单位",
    "responsible_leader": "责任领导",
    "responsible_person": "责任人",
    "deadline": "完成时限",
}


class SectionWidget(widgets.Widget):
    """"一、党建工作" ⇄ the plan's section 1 (created when the ledger names a new one)."""

    def __init__(self, plan):
        super().__init__()
        self.plan = plan

    def clean(self, value, row=None, **kwargs):
        number, title = parse_section(value)
        if not title and number is None:
            raise ValueError("板块不能为空")
        sections = Section.objects.filter(plan=self.plan)
        if number is None:
            existing = sections.filter(title=title).first()
            if existing:
                return existing
            number = (sections.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        section, _created = Section.objects.get_or_create(
            plan=self.plan, number=number, defaults={"title": title}
        )
        return section

    def render(self, value, obj=None, **kwargs):
        return f"{value.label}{value.title}" if value else ""


class DepartmentWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Department, field="name")

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            return None
        department = Department.objects.filter(name=name).first()
        if department is None:
            raise ValueError(f"单位“{name}”不存在")
        return department


class DepartmentListWidget(widgets.ManyToManyWidget):
    """Names separated by 、 ， , ； ; / or line breaks, as bureaus write them."""

    def __init__(self):
        super().__init__(Department, separator="、", field="name")

    def clean(self, value, row=None, **kwargs):
        names = split_departments(str(value or ""))
        found = {d.name: d for d in Department.objects.filter(name__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise ValueError(f"单位“{'、'.join(unknown)}”不存在")
        return Department.objects.filter(pk__in=[found[name].pk for name in names])

    def render(self, value, obj=None, **kwargs):
        return "、".join(d.name for d in value.order_by("order", "name")) if value is not None else ""


class LeaderWidget(widgets.ForeignKeyWidget):
    """A responsible leader by full name (the name leaders sign with)."""

    def __init__(self):
        super().__init__(get_user_model(), field="first_name")

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            return None
        users = list(get_user_model().objects.filter(first_name=name, is_active=True)[:2])
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
        try:
            return parse_deadline(value, plan_year=self.plan_year)[1]
        except DeadlineError as error:
            raise ValueError(str(error))

    def render(self, value, obj=None, **kwargs):
        return value or ""


class TaskResource(resources.ModelResource):
    number = fields.Field("number", COLUMNS["number"], widgets.IntegerWidget())
    section = fields.Field("section", COLUMNS["section"])
    title = fields.Field("title", COLUMNS["title"])
    content = fields.Field("content", COLUMNS["content"])
    lead_department = fields.Field("lead_department", COLUMNS["lead_department"], DepartmentWidget())
    cooperating_departments = fields.Field(
        "cooperating_departments", COLUMNS["cooperating_departments"], DepartmentListWidget()
    )
    responsible_leader = fields.Field("responsible_leader", COLUMNS["responsible_leader"], LeaderWidget())
    responsible_person = fields.Field("responsible_person", COLUMNS["responsible_person"])
    deadline = fields.Field("deadline_text", COLUMNS["deadline"])

    class Meta:
        model = Task
        fields = tuple(COLUMNS)
        import_id_fields = ("number",)
        skip_unchanged = True
        report_skipped = True
        store_instance = True
        clean_model_instances = True

    def __init__(self, *, plan=None, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.plan = plan
        self.actor = actor
        # Reading rows needs the plan (sections, the year of "6月底"); writing rows does not.
        self.fields["section"].widget = SectionWidget(plan)
        self.fields["deadline"].widget = DeadlineWidget(plan.year if plan else None)

    def get_queryset(self):
        return Task.objects.filter(plan=self.plan).select_related("section", "lead_department")

    def before_import(self, dataset, **kwargs):
        if self.plan is None:
            raise ValidationError("请选择导入到哪个年度的工作要点。")

    def init_instance(self, row=None):
        return Task(plan=self.plan)

    def get_export_order(self):
        return tuple(COLUMNS)

    def import_instance(self, instance, row, **kwargs):
        instance._values_before = self._field_values(instance) if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if COLUMNS["deadline"] in row:
            try:
                instance.deadline = parse_deadline(row[COLUMNS["deadline"]], plan_year=self.plan.year)[0]
            except DeadlineError as error:
                raise ValidationError({"deadline_text": str(error)})

    def before_save_instance(self, instance, row, **kwargs):
        # simple-history reads the acting user from here, as in every service.
        instance._history_user = self.actor
        instance.version = (instance.version or 0) + 1 if instance.pk else 1

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        permissions.sync_task_grants(instance)
        after = self._field_values(instance)
        before = instance._values_before
        instance._changed_columns = [
            column for column, value in after.items() if before is None or before.get(column) != value
        ]

    def _field_values(self, instance):
        return {field.column_name: field.export(instance) for field in self.get_import_fields()}


def ledger_dataset(ledger):
    """A tablib Dataset in the resource's columns from a `tasks.ledger.Ledger`."""
    present = [key for key in COLUMNS if key in ledger.columns]
    dataset = tablib.Dataset(headers=[COLUMNS[key] for key in present])
    section = ""
    for row in ledger.rows:
        values = dict(row.values)
        # Ledgers leave 板块 blank under a section's first task, merged or not: it carries down.
        section = values.get("section") or section
        if "section" in values:
            values["section"] = section
        dataset.append([values.get(key, "") for key in present])
    return dataset
