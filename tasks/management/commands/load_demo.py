"""Load the Siping 2021 plan, archived with a year of history, and this year's plan running now,
with demo offices, people, assignments and reports.

The running plan is the 2021 plan carried over (结转) into the current year and published (交办):
its deadlines and milestones are the 2021 ones moved to this year, its reports reach the current
month, so a report written in the demo moves the status, the reason, the 未报送 monitor and the
task's percent together. For demonstration only: the accounts share one password (DEMO_PASSWORD,
default below) that must never be used for real data. Running it again changes and duplicates
nothing.
"""

import datetime
import json
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from departments import roles
from departments.login_policy import demo_password
from departments.models import Membership
from departments.services import (
    department_get_or_create,
    ensure_bureau_role_groups,
    membership_set,
    role_grant,
)
from tasks import services
from tasks.evidence import check_uploads
from tasks.formats import chinese_month, month_end
from tasks.models import Notification, Plan, ProgressReport, Task
from tasks.status_store import statuses_changed

DEMO_PASSWORD = demo_password()
PLAN_YEAR = 2021
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Story:
    """Where a demo plan stands: its year, the day it is told up to, and the month whose reports
    are still in every state (earlier months are accepted)."""

    year: int
    as_of: datetime.date
    last_month: int

    def date(self, text):
        """A date of the 2021 assignments, moved to this story's year."""
        day = datetime.date.fromisoformat(text)
        try:
            return day.replace(year=self.year)
        except ValueError:  # 29 February
            return day.replace(year=self.year, day=28)


# The archived plan, told to its end: reports through December, a third of the year-long tasks
# closed in December, five running late, the rest in the year-end rush.
YEAR_2021 = Story(PLAN_YEAR, datetime.date(PLAN_YEAR, 12, 31), 12)
# Tasks of the running plan whose lead unit has not yet acknowledged them (未签收).
UNACKNOWLEDGED_TASKS = {19, 26}

DEPARTMENT_CODES = {
    "办公室": "bgs",
    "组织人事科": "zzrs",
    "机关党委": "jgdw",
    "发展规划科": "fzgh",
    "基础教育科": "jcjy",
    "职业教育与成人教育科": "zcjy",
    "督导室": "dds",
    "教研室": "jys",
    "计划财务科": "jhcw",
    "学生资助管理中心": "xszz",
    "招生考试中心": "zsks",
    "安全稳定办公室": "aqwd",
    "法规科": "fgk",
    "语言文字工作办公室": "yywz",
    "教师工作科": "jsgz",
    "体育卫生与艺术教育科": "twy",
    "德育科": "dyk",
    "民办教育管理科": "mbjy",
    "教育信息化中心": "xxh",
    "宣传科": "xck",
}
DEMO_NAMES = {roles.ADMINISTRATOR: "系统管理员", roles.SECURITY_ADMINISTRATOR: "安全管理员 赵安", roles.AUDITOR: "审计管理员 钱审",
              roles.SUPERVISOR: "督查室 孙晓梅", roles.LEADER: "王建国"}
LEADER_ACCOUNTS = {
    "王建国": "leader",
    "李红梅": "leader2",
    "张志强": "leader3",
    "刘海涛": "leader4",
    "陈淑芬": "leader5",
}
SURNAMES = "赵钱孙周吴郑冯褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN_NAMES = ["丽", "伟", "静", "敏", "磊", "洋", "艳", "军", "杰", "涛", "明", "超", "霞", "鹏", "晶"]
# Tasks whose demo story is "running late": one milestone before October is left undone.
LATE_TASKS = {6, 13, 22, 27, 32}
LAST_MONTH_STATES = [
    ProgressReport.State.ACCEPTED,
    ProgressReport.State.SUBMITTED,
    ProgressReport.State.RETURNED,
    ProgressReport.State.DRAFT,
    None,  # not reported yet
]


def demo_pdf(name):
    """A small valid one-page PDF, so demo evidence opens in any viewer."""
    text = f"Siping 2021 demo evidence: {name}"
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return ContentFile(body, name=name)


class Command(BaseCommand):
    help = ("Load the 2021 plan (archived) and this year's running plan with demo accounts, departments, "
            "milestones and reports (idempotent).")

    def handle(self, *args, **options):
        data = json.loads(
            (settings.BASE_DIR / "fixtures" / "demo_assignments.json").read_text(encoding="utf-8")
        )
        with transaction.atomic():
            if not Plan.objects.filter(year=PLAN_YEAR).exists():
                call_command("loaddata", "plan_siping_2021", verbosity=0)
            ensure_bureau_role_groups()
            departments = self._departments(data["departments"])
            accounts = self._accounts(departments)
            plan = Plan.objects.get(year=PLAN_YEAR)
            if plan.status != Plan.Status.ARCHIVED:
                for task in plan.tasks.order_by("number"):
                    self._task(task, data["tasks"][str(task.number)], departments, accounts)
                services.plan_archive(plan=plan, actor=accounts["supervisor"])
            today = timezone.localdate()
            running = Story(today.year, today, today.month)
            if running.year > PLAN_YEAR and not Plan.objects.filter(year=running.year).exists():
                self._running_plan(plan, data["tasks"], accounts, running)
            # Only the latest month's news is unread; the demo's history is old news.
            Notification.objects.filter(read_at=None).exclude(
                message__contains=chinese_month(datetime.date(running.year, running.last_month, 1))
            ).update(read_at=timezone.now())
        self._print_logins(departments)
        self._print_recovery_codes(accounts)

    def _running_plan(self, archived, rows, accounts, story):
        """This year's plan: the 2021 tasks carried over, scheduled in this year, published,
        acknowledged (all but UNACKNOWLEDGED_TASKS) and reported on up to today."""
        supervisor = accounts["supervisor"]
        plan, copies = services.plan_carry_over(plan=archived, tasks=archived.tasks.all(), year=story.year,
                                                actor=supervisor)
        for task in copies:
            row = rows[str(task.carried_from.number)]
            services.task_set_schedule(
                task=task, deadline=story.date(row["deadline"]) if row["deadline"] else None,
                deadline_text=row["deadline_text"].replace(str(PLAN_YEAR), str(story.year)), actor=supervisor,
                responsible_leader=accounts[row["responsible_leader"]], responsible_person=row["responsible_person"],
            )
        services.plan_publish(plan=plan, actor=supervisor)
        for task in plan.tasks.select_related("plan", "lead_department").order_by("number"):
            if task.number not in UNACKNOWLEDGED_TASKS:
                services.task_acknowledge(task=task, actor=accounts[(task.lead_department.name, Membership.Role.STAFF)])
            self._milestones_and_reports(task, rows[str(task.carried_from.number)], accounts, story)

    def _departments(self, rows):
        departments = {}
        for row in rows:
            department, _ = department_get_or_create(
                name=row["name"], short_name=row["short_name"], order=row["order"]
            )
            departments[row["name"]] = department
        return departments

    def _user(self, username, full_name, *groups, staff=False):
        User = get_user_model()
        # No demo account is a superuser: 三员分立 splits what a superuser would hold in three.
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name, "is_staff": staff})
        if created:
            # One hash serves every demo account: they share the demo password by design.
            if not hasattr(self, "_password_hash"):
                self._password_hash = make_password(DEMO_PASSWORD)
            user.password = self._password_hash
            user.save(update_fields=["password"])
        for name in groups:
            role_grant(users=[user], role_name=name)
        return user

    def _accounts(self, departments):
        names = random.Random(2021)
        # One account per role of the registry (a new role gets its demo login here by itself);
        # the first leader's account is the leader role's.
        accounts = {
            role.demo_username: self._user(
                role.demo_username, DEMO_NAMES.get(role.name, str(role.label)), role.name,
                staff=bool(role.admin_models),
            )
            for role in roles.ROLES
        }
        membership_set(
            user=accounts["supervisor"], department=departments["办公室"],
            role=Membership.Role.STAFF,
        )
        for full_name, username in LEADER_ACCOUNTS.items():
            accounts[full_name] = self._user(username, full_name, roles.LEADER)
        for department_name, code in DEPARTMENT_CODES.items():
            department = departments[department_name]
            for role in (Membership.Role.HEAD, Membership.Role.STAFF):
                full_name = names.choice(SURNAMES) + "".join(names.sample(GIVEN_NAMES, 2))
                user = self._user(f"{code}_{role}", full_name)
                membership_set(user=user, department=department, role=role)
                accounts[(department_name, role)] = user
        return accounts

    def _task(self, task, row, departments, accounts):
        admin = accounts["admin"]
        lead = departments[row["lead"]]
        cooperating = [departments[name] for name in row["cooperating"]]
        if task.lead_department_id != lead.pk or set(task.cooperating_departments.all()) != set(
            cooperating
        ):
            services.task_assign_departments(
                task=task, lead=lead, cooperating=cooperating, actor=admin
            )
        deadline = datetime.date.fromisoformat(row["deadline"]) if row["deadline"] else None
        leader = accounts[row["responsible_leader"]]
        if (task.deadline, task.deadline_text, task.responsible_leader_id, task.responsible_person) != (
            deadline, row["deadline_text"], leader.pk, row["responsible_person"]
        ):
            services.task_set_schedule(
                task=task, deadline=deadline, deadline_text=row["deadline_text"], actor=admin,
                responsible_leader=leader, responsible_person=row["responsible_person"],
            )
        if task.milestones.exists():
            return
        self._milestones_and_reports(task, row, accounts, YEAR_2021)

    def _milestones_and_reports(self, task, row, accounts, story):
        rng = random.Random(task.number)
        head = accounts[(task.lead_department.name, Membership.Role.HEAD)]
        staff = accounts[(task.lead_department.name, Membership.Role.STAFF)]
        supervisor = accounts["supervisor"]
        as_of = story.as_of
        year_end_closing = datetime.date(story.year, 12, 10 + task.number % 10)
        if task.deadline and task.deadline < as_of:
            completed_on = task.deadline
        elif task.number % 3 == 0 and task.number not in LATE_TASKS and task.deadline and year_end_closing <= as_of:
            completed_on = year_end_closing
        else:
            completed_on = None
        carried = {m.title: m for m in task.milestones.all()}  # a carried-over task keeps its open milestones
        for index, item in enumerate(row["milestones"]):
            due = story.date(item["due"])
            milestone = carried.get(item["title"]) or services.milestone_create(
                task=task, title=item["title"], due_date=due, actor=staff,
                evidence_required=index == len(row["milestones"]) - 1,
            )
            late = task.number in LATE_TASKS and index == 0
            if due <= as_of and not late:
                done_on = due - datetime.timedelta(days=rng.randint(0, 10))
                if completed_on:
                    done_on = min(done_on, completed_on)
                uploads = (
                    check_uploads([demo_pdf(f"task-{task.number}-milestone-{index + 1}.pdf")])
                    if milestone.evidence_required else ()
                )
                services.milestone_mark_done(
                    milestone=milestone, done_on=done_on, actor=staff, uploads=uploads
                )
        last_month = completed_on.month if completed_on else story.last_month
        pace = 7 if task.number not in LATE_TASKS else 4
        for month in range(1, last_month + 1):
            percent = min(100, month * pace + rng.randint(0, 4))
            if completed_on and month == last_month:
                percent = 100
            final_state = ProgressReport.State.ACCEPTED
            if month == story.last_month and not completed_on:
                final_state = LAST_MONTH_STATES[task.number % len(LAST_MONTH_STATES)]
                if final_state is None:
                    continue
            self._report(task, task.lead_department, month, percent, final_state, staff, head, supervisor, rng, story)
            if month % 3 == 0:
                for department in task.cooperating_departments.all()[:1]:
                    helper = accounts[(department.name, Membership.Role.HEAD)]
                    self._report(task, department, month, percent, ProgressReport.State.ACCEPTED,
                                 helper, helper, supervisor, rng, story)
        if completed_on:
            task.refresh_from_db()
            services.task_complete(task=task, completed_on=completed_on, actor=supervisor)
        if task.number in LATE_TASKS:
            instruction = services.instruction_write(
                task=task, actor=task.responsible_leader,
                text=f"“{task.title}”进度滞后，请{task.lead_department.display_name}认真分析原因，拿出整改措施，按时完成年度任务。",
            )
            if task.number % 2 == 0:
                services.instruction_reply(
                    instruction=instruction, actor=head,
                    text="已召开专题会议研究整改，倒排工期，确保12月底前完成。",
                )

    def _report(self, task, department, month, percent, final_state, author, head, supervisor, rng, story):
        milestone_titles = [m.title for m in task.milestones.all() if m.due_date.month == month]
        progress = (
            f"{month}月，{department.display_name}围绕“{task.title}”推进工作："
            + ("已" + "，".join(milestone_titles) + "。" if milestone_titles else "按计划推进各项措施，召开专题会议部署落实。")
        )
        problems = rng.choice(["", "", "部分县（市）区工作进度不平衡。", "经费保障有待进一步落实。"])
        report = services.report_save(
            task=task, department=department, month=datetime.date(story.year, month, 1),
            author=author, progress=progress, percent=percent, problems=problems,
            next_steps="继续抓好落实，加强督促指导。",
        )
        if final_state == ProgressReport.State.DRAFT:
            return
        submitted = datetime.datetime(story.year, month, min(22, month_end(datetime.date(story.year, month, 1)).day),
                                      16, 30, tzinfo=SHANGHAI)
        # This month's submissions happened at the latest an hour ago, never in the future.
        submitted = min(submitted, timezone.now() - datetime.timedelta(hours=1))
        services.report_submit(report=report, actor=head)
        if final_state == ProgressReport.State.ACCEPTED:
            services.report_accept(report=report, actor=supervisor)
        elif final_state == ProgressReport.State.RETURNED:
            services.report_return(
                report=report, actor=supervisor,
                note="请补充本月具体工作成效和量化数据，并上传佐证材料。",
            )
        reviewed = submitted + datetime.timedelta(days=2) if final_state != ProgressReport.State.SUBMITTED else None
        # Demo timestamps tell the story's months instead of the day the demo was loaded.
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=submitted, reviewed_at=reviewed)
        statuses_changed(Task.objects.filter(pk=report.task_id))

    def _print_recovery_codes(self, accounts):
        """Accounts whose role requires a second factor get demo recovery codes, one printed per run
        (each works once); with it the account signs in and can set up an authenticator app."""
        from django_otp.plugins.otp_static.models import StaticDevice

        from departments import two_factor
        from departments.permissions import must_use_second_factor

        users = {user.pk: user for user in accounts.values() if must_use_second_factor(user)}
        if not users:
            return
        self.stdout.write("双因素认证：以下演示账号登录时输入一个恢复码（每个只能用一次，再次运行 load_demo 可得下一个）/ "
                          "Two-factor: give this recovery code after the password (demo data only):")
        for user in sorted(users.values(), key=lambda u: u.username):
            device = StaticDevice.objects.filter(user=user, name="recovery").first()
            if device is None or not device.token_set.exists():
                two_factor.recovery_codes_reset(user)
                device = StaticDevice.objects.get(user=user, name="recovery")
            self.stdout.write(f"  {user.username:<12} {device.token_set.order_by('token').first().token}")
        self.stdout.write("")

    def _print_logins(self, departments):
        write = self.stdout.write
        write("")
        write("演示账号（仅用于演示数据，密码均为 %s）/ Demo logins, demo data only:" % DEMO_PASSWORD)
        for role in roles.ROLES:
            with translation.override("en"):
                write(f"  {role.demo_username:<12} {role.name} / {role.label}")
        write(f"  {'、'.join(list(LEADER_ACCOUNTS.values())[1:])}  {roles.LEADER}")
        for name, code in DEPARTMENT_CODES.items():
            write(f"  {code + '_head':<12} {code + '_staff':<13} {name}")
        write("")
