"""Unit names from documents matched to the portal's departments, never multiplied.

A name matches a department by its exact name, then by one of the department's aliases
(基教科 = 基础教育科, kept in the portal). A collective owner (各县（市、区）, 各有关部门和单位) is kept
on the task as written. Any other name is decided in the preview: map it to an existing unit,
create it, or keep it as text (the default, so that nothing fake is created by a typo).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from departments.models import Department, DepartmentAlias
from departments.services import department_get_or_create

from .units import is_collective

KEEP_AS_TEXT, CREATE, MAP = "text", "create", "map"
EXACT, ALIAS, COLLECTIVE, UNMATCHED = "exact", "alias", "collective", "unmatched"


@dataclass(frozen=True)
class UnitView:
    """A unit name as written, and how it matched: exact / alias / collective / unmatched."""

    name: str
    status: str
    department: object = None


@dataclass(frozen=True)
class UnitChoice:
    action: str = KEEP_AS_TEXT
    department_id: int | None = None


class UnitDirectory:
    """The departments and aliases a set of names can match, loaded in two queries."""

    def __init__(self, names):
        names = {name for name in names if name}
        self.by_name = {d.name: d for d in Department.objects.filter(name__in=names)}
        self.by_alias = {
            alias.name: alias.department
            for alias in DepartmentAlias.objects.filter(name__in=names).select_related("department")
        }
        self._views = {}

    def find(self, name):
        return self.by_name.get(name) or self.by_alias.get(name)

    def status(self, name):
        if name in self.by_name:
            return EXACT
        if name in self.by_alias:
            return ALIAS
        return COLLECTIVE if is_collective(name) else UNMATCHED

    def view(self, name):
        # One view per name: a long ledger names the same units on thousands of rows.
        if name not in self._views:
            self._views[name] = UnitView(name, self.status(name), self.find(name))
        return self._views[name]

    def unmatched(self, names):
        """The names the preview must ask about, in first-seen order."""
        seen = []
        for name in names:
            if name and name not in seen and self.status(name) == UNMATCHED:
                seen.append(name)
        return seen


def unit_choices_from_post(data):
    """{name: UnitChoice} from the preview's fields unit-N-name / unit-N-action / unit-N-department."""
    choices, index = {}, 0
    while f"unit-{index}-name" in data:
        name = data.get(f"unit-{index}-name", "").strip()
        action = data.get(f"unit-{index}-action", KEEP_AS_TEXT)
        department = data.get(f"unit-{index}-department", "")
        if action == MAP:
            if not department.isdigit() or not Department.objects.filter(pk=int(department)).exists():
                raise ValidationError(_("Choose the existing unit that “%(name)s” stands for.") % {"name": name})
            choices[name] = UnitChoice(MAP, int(department))
        elif action in (CREATE, KEEP_AS_TEXT):
            choices[name] = UnitChoice(action)
        index += 1
    return choices


@dataclass
class ResolvedOwners:
    lead: object = None
    co_leads: list = None
    cooperating: list = None
    owner_text: str = ""


def resolve_owners(*, leads, cooperating, directory, choices, default=KEEP_AS_TEXT):
    """Departments for a task's owner names; the rest kept as text. Creates the departments the
    user chose to create (once, remembered in the directory)."""
    as_text = []

    def resolve(name):
        department = directory.find(name)
        if department is not None:
            return department
        if is_collective(name):
            as_text.append(name)
            return None
        choice = choices.get(name, UnitChoice(default))
        if choice.action == CREATE:
            department = department_get_or_create(name=name)[0]
            directory.by_name[name] = department
            return department
        if choice.action == MAP:
            department = Department.objects.get(pk=choice.department_id)
            directory.by_alias[name] = department
            return department
        as_text.append(name)
        return None

    lead_departments = [d for d in (resolve(name) for name in leads) if d is not None]
    cooperating_departments = [d for d in (resolve(name) for name in cooperating) if d is not None]
    return ResolvedOwners(
        lead=lead_departments[0] if lead_departments else None,
        co_leads=lead_departments[1:],
        cooperating=cooperating_departments,
        owner_text="、".join(dict.fromkeys(as_text)),
    )
