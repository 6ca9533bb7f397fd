"""A province-sized plan for measuring the portal: `generate_scale_data` and `make bench` use it.

Reproducible from a seed: the same arguments give the same plan, departments, people, reports
and files. Rows are written in bulk (the point is thousands of tasks in a minute or two); task
history and object permissions are written by the same bulk service the Excel import uses, so
the generated plan is one the portal could have produced itself.
"""

import datetime
import hashlib
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from departments import roles
from departments.models import Department, Membership
from departments.services import (
    department_get_or_create,
    ensure_bureau_role_groups,
    memberships_add_bulk,
    role_grant,
)
from tasks import services
from tasks.formats import to_chinese
from tasks.models import (
    Evidence,
    Instruction,
    Milestone,
    Notification,
    Plan,
    ProgressReport,
    Section,
    Task,
)

DEPARTMENT_COUNT = 200
USER_COUNT = 2000
SECTION_COUNT = 60
LEADER_COUNT = 20
SUPERVISOR_COUNT = 5
EVIDENCE_EVERY = 40  # one file for every 40th report
INSTRUCTION_EVERY = 25  # one 批示 for every 25th task
VERBS = ["深化", "推进", "完善", "加强", "落实", "健全", "提升", "规范", "扩大", "巩固"]
SUBJECTS = ["学前教育普及普惠", "义务教育优质均衡", "普通高中多样化发展", "职业教育产教融合", "教师队伍建设",
            "校园安全管理", "教育督导评估", "教育信息化", "学生体质健康", "课后服务", "招生考试改革", "语言文字工作"]
PROGRESS = ["按计划推进，已完成阶段性工作。", "召开专题会议，部署落实。", "完成调研，形成工作方案。", "组织培训，覆盖全部学校。"]
PROBLEMS = ["", "", "部分学校进度较慢。", "经费尚未完全落实。"]


@dataclass
class ScaleSummary:
    plan: Plan
    departments: int
    users: int
    tasks: int
    milestones: int
    reports: int
    evidence: int
    instructions: int
    notifications: int


def scale_plan_generate(*, tasks, year=2025, seed=2021, departments=DEPARTMENT_COUNT, users=USER_COUNT,
                        sections=SECTION_COUNT, evidence=True, report_months=12):
    """Build one plan of `tasks` tasks in `sections` sections, with everything around it.

    The plan year must have no plan yet. Reports cover the plan's last `report_months` months,
    so a year in the past gives a finished year (the dashboard judges it as of 31 December).
    """
    if Plan.objects.filter(year=year).exists():
        raise ValueError(f"A plan for {year} already exists; choose another --year.")
    if users < departments + LEADER_COUNT + SUPERVISOR_COUNT:
        raise ValueError(f"{users} people cannot staff {departments} offices besides the bureau's leaders.")
    rng = random.Random(seed)
    with transaction.atomic():
        offices = _departments(departments)
        people = _people(rng, users, offices)
        plan = Plan.objects.create(year=year, title=f"{year}年全省教育工作要点（规模测试）", status=Plan.Status.ACTIVE)
        task_rows = _tasks(rng, plan, tasks, sections, offices, people["leaders"])
        milestones = _milestones(rng, task_rows)
        reports = _reports(rng, plan, task_rows, people, first_month=13 - report_months)
        files = _evidence(rng, reports, people) if evidence else 0
        instructions, notifications = _instructions_and_notifications(rng, task_rows, people)
    return ScaleSummary(plan, len(offices), sum(len(v) for v in people["staff"].values()), len(task_rows),
                        milestones, len(reports), files, instructions, notifications)


def _departments(count):
    kinds = [Department.Kind.BUREAU_OFFICE, Department.Kind.AFFILIATED_UNIT, Department.Kind.COUNTY_BUREAU]
    offices = []
    for index in range(count):
        name = f"规模测试单位{index + 1:03d}"
        department, _created = department_get_or_create(name=name, kind=kinds[index % 3], order=1000 + index)
        offices.append(department)
    return offices


def _people(rng, count, offices):
    """`count` accounts: a head and staff in every office, and bureau leaders and supervisors."""
    ensure_bureau_role_groups()
    User = get_user_model()
    password = make_password(None)  # unusable: these accounts are for measuring, not logging in
    existing = set(User.objects.filter(username__startswith="scale-").values_list("username", flat=True))
    new_users = [
        User(username=f"scale-{index:05d}", first_name=f"测试{index:05d}", password=password)
        for index in range(count) if f"scale-{index:05d}" not in existing
    ]
    User.objects.bulk_create(new_users, batch_size=1000)
    accounts = list(User.objects.filter(username__startswith="scale-").order_by("username")[:count])
    leaders = accounts[:LEADER_COUNT]
    supervisors = accounts[LEADER_COUNT:LEADER_COUNT + SUPERVISOR_COUNT]
    role_grant(users=leaders, role_name=roles.LEADER)
    role_grant(users=supervisors, role_name=roles.SUPERVISOR)
    staff = {office.pk: [] for office in offices}
    memberships = []
    for index, user in enumerate(accounts[LEADER_COUNT + SUPERVISOR_COUNT:]):
        office = offices[index % len(offices)]
        role = Membership.Role.HEAD if not staff[office.pk] else Membership.Role.STAFF
        staff[office.pk].append(user)
        memberships.append(Membership(user=user, department=office, role=role))
    memberships_add_bulk(memberships=memberships)
    return {"leaders": leaders, "supervisors": supervisors, "staff": staff}


def _tasks(rng, plan, count, section_count, offices, leaders):
    sections = Section.objects.bulk_create(
        [Section(plan=plan, number=n, title=f"{rng.choice(VERBS)}{rng.choice(SUBJECTS)}") for n in range(1, section_count + 1)]
    )
    year = plan.year
    rows = []
    for number in range(1, count + 1):
        quarter_end = [datetime.date(year, 3, 31), datetime.date(year, 6, 30), datetime.date(year, 9, 30),
                       datetime.date(year, 12, 31)][rng.randrange(4)]
        deadline, deadline_text = (None, "持续推进") if rng.random() < 0.1 else (quarter_end, f"{quarter_end.month}月底")
        lead = offices[rng.randrange(len(offices))]
        rows.append(Task(
            plan=plan, section=sections[(number - 1) * section_count // count], number=number,
            title=f"{rng.choice(VERBS)}{rng.choice(SUBJECTS)}（{number}）",
            content="。".join(rng.sample(PROGRESS, 2)) + "。",
            lead_department=lead, responsible_leader=leaders[rng.randrange(len(leaders))],
            responsible_person=f"联系人{rng.randrange(1000):03d}", deadline=deadline, deadline_text=deadline_text,
        ))
    Task.objects.bulk_create(rows, batch_size=1000)
    cooperating = {
        task.pk: {d.pk for d in rng.sample(offices, rng.choice([0, 1, 1, 2])) if d.pk != task.lead_department_id}
        for task in rows
    }
    services.tasks_record_bulk_import(created=[t.pk for t in rows], updated=[], cooperating=cooperating, actor=None)
    for task in rows:
        task._cooperating_ids = cooperating[task.pk]
    return rows


def _milestones(rng, tasks):
    rows = []
    for task in tasks:
        end = task.deadline or datetime.date(task.plan.year, 12, 31)
        for step, title in enumerate(["制定方案", "完成任务"]):
            due = end - datetime.timedelta(days=60 * (1 - step))
            done = due if rng.random() < 0.6 else None
            rows.append(Milestone(task=task, title=title, due_date=due, done_on=done))
    Milestone.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _reports(rng, plan, tasks, people, first_month=1):
    """Monthly lead reports (some stop late in the year), and quarterly cooperating reports."""
    year = plan.year
    rows = []
    completed = []
    for task in tasks:
        # A mix like a real year: most on track, some finished early, some falling behind.
        fate = rng.random()
        finish_month = rng.randint(6, 12) if fate < 0.3 else None
        stall_month = rng.randint(7, 11) if 0.3 <= fate < 0.4 else None
        lead_staff = people["staff"][task.lead_department_id]
        percent = 0
        for month in range(1, 13):
            if stall_month and month > stall_month:
                break  # reports stop: the dashboard shows it as not reported and, past the deadline, late
            percent = 100 if finish_month and month >= finish_month else min(95, percent + rng.randint(3, 12))
            if month >= first_month:
                rows.append(_report(rng, task, task.lead_department_id, lead_staff, year, month, percent))
            if finish_month and month == finish_month:
                completed.append((task, datetime.date(year, month, 20)))
                break
        for department_id in sorted(task._cooperating_ids):
            for month in (3, 6, 9, 12)[(first_month - 1) // 3:]:
                rows.append(_report(rng, task, department_id, people["staff"][department_id], year, month, None))
    ProgressReport.objects.bulk_create(rows, batch_size=2000)
    for task, day in completed:
        task.state, task.completed_on, task.percent_complete = Task.State.COMPLETED, day, 100
    Task.objects.bulk_update([task for task, _day in completed], ["state", "completed_on", "percent_complete"],
                             batch_size=1000)
    return rows


def _report(rng, task, department_id, staff, year, month, percent):
    submitted = timezone.make_aware(datetime.datetime(year, month, rng.randint(18, 28), 10))
    state = rng.choice([ProgressReport.State.ACCEPTED] * 6 + [ProgressReport.State.SUBMITTED] * 2
                       + [ProgressReport.State.RETURNED])
    return ProgressReport(
        task=task, department_id=department_id, author=staff[rng.randrange(len(staff))],
        month=datetime.date(year, month, 1), progress=rng.choice(PROGRESS), problems=rng.choice(PROBLEMS),
        next_steps="继续推进。", percent=percent if percent is not None else rng.randint(10, 90),
        state=state, submitted_at=submitted,
    )


def _evidence(rng, reports, people):
    """A small PDF for every EVIDENCE_EVERY-th report, stored like an upload."""
    rows = []
    for index, report in enumerate(reports):
        if index % EVIDENCE_EVERY:
            continue
        content = _tiny_pdf(f"scale evidence {report.task_id}-{report.month:%m}")
        name = default_storage.save(f"evidence/scale/{hashlib.sha256(content).hexdigest()[:32]}.pdf",
                                    ContentFile(content))
        rows.append(Evidence(task_id=report.task_id, report=report, file=name, original_name="工作台账.pdf",
                             size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                             content_type="application/pdf", uploaded_by_id=report.author_id))
    Evidence.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _tiny_pdf(text):
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
            + f"4 0 obj<</Length {len(stream)}>>stream\n".encode() + stream + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _instructions_and_notifications(rng, tasks, people):
    instructions = [
        Instruction(task=task, author=task.responsible_leader, text=f"请{to_chinese(rng.randint(1, 9))}周内报送进展。",
                    reply_by=datetime.date(task.plan.year, 12, 15))
        for index, task in enumerate(tasks) if index % INSTRUCTION_EVERY == 0
    ]
    Instruction.objects.bulk_create(instructions, batch_size=1000)
    notifications = []
    for instruction in instructions:
        for user in people["staff"][instruction.task.lead_department_id][:2]:
            notifications.append(Notification(recipient=user, task=instruction.task, message="局领导作出批示",
                                              url=f"/plans/{instruction.task.plan.year}/tasks/{instruction.task.number}/"))
    Notification.objects.bulk_create(notifications, batch_size=2000)
    return len(instructions), len(notifications)
