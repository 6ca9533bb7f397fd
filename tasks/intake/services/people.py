"""People brought in from an Excel list (姓名, 用户名, 单位, 角色, 手机, 邮箱): previewed row by row
with each row's errors, then created all together or not at all."""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from departments import audit
from departments.models import Department, Membership
from departments.roles import ROLE_BY_NAME
from departments.services import user_create
from departments.units import split_names

from ..task_sheet import TaskSheetError, read_sheet_rows

PEOPLE_HEADERS = {
    "full_name": ("姓名",),
    "username": ("用户名", "账号", "登录名", "帐号"),
    "unit": ("单位", "科室", "部门", "所在单位", "所在科室"),
    "role": ("角色", "职务", "岗位"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "Email", "E-mail"),
}
# 角色 as bureaus write it: a head of a unit (who submits its reports) or its staff, and the
# bureau-wide roles of the registry by their names.
HEAD_WORDS = ("科长", "主任", "负责人", "处长", "局长", "校长", "部长", "站长")
STAFF_WORDS = ("科员", "工作人员", "职员", "干事", "专员", "staff")
USERNAME = re.compile(r"^[\w.@+-]{2,150}$")
PHONE = re.compile(r"^1\d{10}$")
MAX_PEOPLE = 2000


@dataclass
class PersonRow:
    line: int
    values: dict
    unit: object = None
    membership_role: str = Membership.Role.STAFF
    role_names: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    password: str = ""


@dataclass
class PeopleImport:
    rows: list
    applied: bool = False

    @property
    def ok(self):
        return bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def error_count(self):
        return sum(1 for row in self.rows if row.errors)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell
    return re.sub(r"\s+", " ", str(value)).strip()


def _find_header(rows):
    for index, (_line, cells) in enumerate(rows[:10]):
        found = {}
        for column, value in enumerate(cells):
            text = re.sub(r"\s+", "", _text(value))
            name = next((key for key, names in PEOPLE_HEADERS.items() if text in names), None)
            if name and name not in found:
                found[name] = column
        if {"full_name", "username"} <= found.keys():
            return index, found
    return None


def _units_by_name():
    """Active units by name, then by short name and alias where those do not clash with a name."""
    active = list(Department.objects.filter(is_active=True).prefetch_related("aliases"))
    units = {unit.name: unit for unit in active}
    for unit in active:
        for other in [unit.short_name, *(alias.name for alias in unit.aliases.all())]:
            if other:
                units.setdefault(other, unit)
    return units


def _read_role(text, row):
    for word in split_names(text):
        if word in ROLE_BY_NAME:
            row.role_names.append(word)
        elif any(head in word for head in HEAD_WORDS):
            row.membership_role = Membership.Role.HEAD
        elif word in STAFF_WORDS or any(staff in word for staff in STAFF_WORDS):
            row.membership_role = Membership.Role.STAFF
        else:
            row.errors.append(_("Unknown role “%(role)s”: write 科员, 科长 (or 负责人), or one of %(roles)s.")
                              % {"role": word, "roles": "、".join(ROLE_BY_NAME)})


def people_sheet_read(handle):
    """Every row of the list checked against the portal and the rest of the file."""
    rows, _title = read_sheet_rows(handle, max_rows=MAX_PEOPLE)
    header = _find_header(rows)
    if header is None:
        raise TaskSheetError(_("No header row with 姓名 and 用户名 was found in the first 10 rows."))
    index, columns = header
    units = _units_by_name()
    taken = {name.lower() for name in get_user_model().objects.values_list("username", flat=True)}
    seen = {}
    people = []
    for line, cells in rows[index + 1:]:
        values = {key: _text(cells[column]) if column < len(cells) else "" for key, column in columns.items()}
        if not any(values.values()):
            continue
        row = PersonRow(line=line, values=values)
        username = values.get("username", "")
        if not values.get("full_name"):
            row.errors.append(_("姓名 is empty."))
        if not username:
            row.errors.append(_("用户名 is empty."))
        elif not USERNAME.match(username):
            row.errors.append(_("用户名 “%(name)s” may hold only letters, digits and . @ + - _.") % {"name": username})
        elif username.lower() in taken:
            row.errors.append(_("用户名 “%(name)s” is taken.") % {"name": username})
        elif username.lower() in seen:
            row.errors.append(_("用户名 “%(name)s” is also on row %(line)d.") % {"name": username, "line": seen[username.lower()]})
        else:
            seen[username.lower()] = line
        unit_name = values.get("unit", "")
        if unit_name:
            row.unit = units.get(unit_name)
            if row.unit is None:
                row.errors.append(_("No active unit is called “%(name)s”; add it (or the name as an alias) first.")
                                  % {"name": unit_name})
        _read_role(values.get("role", ""), row)
        if row.unit is None and not row.role_names and not row.errors:
            row.errors.append(_("Give a unit or a bureau-wide role: this person could do nothing."))
        phone = values.get("phone", "")
        if phone and not PHONE.match(phone.replace("-", "").replace(" ", "")):
            row.errors.append(_("手机 “%(phone)s” is not an 11-digit mobile number.") % {"phone": phone})
        email = values.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("邮箱 “%(email)s” is not an e-mail address.") % {"email": email})
        people.append(row)
    if not people:
        raise TaskSheetError(_("The list has no people under its header row."))
    return PeopleImport(rows=people)


def people_import(*, handle, dry_run=True):
    """Preview (dry_run) or create every account of the list; any error leaves the portal as it was."""
    result = people_sheet_read(handle)
    if dry_run or not result.ok:
        return result
    with transaction.atomic():
        for row in result.rows:
            _user, row.password = user_create(
                username=row.values["username"], full_name=row.values["full_name"],
                email=row.values.get("email", ""), phone=row.values.get("phone", "").replace("-", "").replace(" ", ""),
                memberships=[(row.unit, row.membership_role)] if row.unit else [], role_names=row.role_names,
            )
    result.applied = True
    audit.record("import", detail=f"people list: {len(result.rows)} accounts")
    return result

