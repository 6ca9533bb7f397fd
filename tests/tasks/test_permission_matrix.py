"""Every role × every action of the staff workflow × own and other task: the designed answer.

The world is built once for the module inside a transaction; each cell runs in a savepoint that
is rolled back, acts once, and checks both the HTTP answer and that a refused action changed
nothing (and an allowed one did).
"""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from departments.models import Membership
from tasks import services
from tasks.evidence import check_uploads
from tasks.models import Evidence, Milestone, Plan, ProgressReport, Task, TaskRequest

from .. import factories
from ..files import pdf

ROLES = ["anonymous", "lead_staff", "lead_head", "coop_staff", "unrelated_staff", "supervisor", "leader"]

# Expected answers by the role's relation to the task. "ok" is 200 for pages, a redirect for actions.
EVERYONE = {"lead_staff": "ok", "lead_head": "ok", "coop_staff": "ok", "none": "ok", "supervisor": "ok", "leader": "ok"}
REPORTERS = {"lead_staff": "ok", "lead_head": "ok", "coop_staff": "ok", "none": 403, "supervisor": 403, "leader": 403}
SUBMITTERS = {"lead_staff": 400, "lead_head": "ok", "coop_staff": 400, "none": 403, "supervisor": 403, "leader": 403}
TASK_EDITORS = {"lead_staff": "ok", "lead_head": "ok", "coop_staff": 403, "none": 403, "supervisor": "ok", "leader": 403}
REQUESTERS = {"lead_staff": "ok", "lead_head": "ok", "coop_staff": 403, "none": 403, "supervisor": 403, "leader": 403}
LEADERS = {"lead_staff": 403, "lead_head": 403, "coop_staff": 403, "none": 403, "supervisor": 403, "leader": "ok"}
SUPERVISION = {"lead_staff": 403, "lead_head": 403, "coop_staff": 403, "none": 403, "supervisor": "ok", "leader": 403}
EVIDENCE_READERS = {"lead_staff": "ok", "lead_head": "ok", "coop_staff": "ok", "none": 404, "supervisor": "ok", "leader": "ok"}


class World:
    def __init__(self):
        self.lead = factories.department("基础教育科", short_name="基教科")
        self.coop = factories.department("督导室")
        self.unrelated = factories.department("计划财务科")
        self.users = {
            "lead_staff": factories.member(self.lead, username="lead_staff"),
            "lead_head": factories.member(self.lead, role=Membership.Role.HEAD, username="lead_head"),
            "coop_staff": factories.member(self.coop, username="coop_staff"),
            "unrelated_staff": factories.member(self.unrelated, username="unrelated_staff"),
            "supervisor": factories.supervisor(username="supervisor"),
            "leader": factories.leader(username="leader"),
        }
        plan = factories.PlanFactory(year=2021)
        section = factories.SectionFactory(plan=plan, number=1)
        self.tasks = {
            "own": factories.assigned_task(lead=self.lead, cooperating=[self.coop], section=section, number=1),
            "other": factories.assigned_task(lead=self.unrelated, section=section, number=2),
        }
        self.reports, self.milestones, self.requests, self.evidence = {}, {}, {}, {}
        self.instructions = {}
        supervisor = self.users["supervisor"]
        for key, task in self.tasks.items():
            department = task.lead_department
            author = factories.member(department, role=Membership.Role.HEAD)
            accepted = services.report_save(
                task=task, department=department, month=datetime.date(2021, 3, 1), author=author,
                progress="三月进展。", percent=20, uploads=check_uploads([pdf()]),
            )
            services.report_submit(report=accepted, actor=author)
            services.report_accept(report=accepted, actor=supervisor)
            self.evidence[key] = Evidence.objects.get(report=accepted)
            submitted = services.report_save(
                task=task, department=department, month=datetime.date(2021, 4, 1), author=author,
                progress="四月进展。", percent=30,
            )
            self.reports[key] = services.report_submit(report=submitted, actor=author)
            self.milestones[key] = services.milestone_create(
                task=task, title="出台方案", due_date=datetime.date(2021, 5, 31), actor=supervisor
            )
            self.instructions[key] = services.instruction_write(
                task=task, text="请加快进度", actor=self.users["leader"]
            )
            self.requests[key] = services.task_request_create(
                task=task, kind=TaskRequest.Kind.EXTENSION, reason="需要延期", actor=author,
                new_deadline=datetime.date(2022, 6, 30),
            )

    def relation(self, role, task_key):
        if role in ("supervisor", "leader"):
            return role
        lead_department = self.tasks[task_key].lead_department
        department = {"lead_staff": self.lead, "lead_head": self.lead, "coop_staff": self.coop,
                      "unrelated_staff": self.unrelated}[role]
        if department == lead_department:
            return "lead_head" if role == "lead_head" else "lead_staff"
        if department in self.tasks[task_key].cooperating_departments.all():
            return "coop_staff"
        return "none"


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, module_media):
    # The module's evidence files are stored once, with the world: every test reads them there.
    settings.MEDIA_ROOT = module_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, module_media):
    """One world for the module; each test's own changes are rolled back to its savepoint."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=module_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def task_path(task, name, **extra):
    return reverse(f"tasks:{name}", kwargs={"year": task.plan.year, "number": task.number, **extra})


def report_data(**extra):
    return {"month": "2021-06", "progress": "六月进展。", "percent": 50, "save": "1", **extra}


# name: (method, url(world, task_key), data(world, task_key), expectations, snapshot(world, task_key))
ACTIONS = {
    "view task": ("get", lambda w, k: task_path(w.tasks[k], "task_detail"), None, EVERYONE, None),
    "view history": ("get", lambda w, k: task_path(w.tasks[k], "task_history"), None, EVERYONE, None),
    "open report form": ("get", lambda w, k: task_path(w.tasks[k], "report_edit"), None, REPORTERS, None),
    "save report draft": (
        "post", lambda w, k: task_path(w.tasks[k], "report_edit"), lambda w, k: report_data(),
        REPORTERS, lambda w, k: ProgressReport.objects.filter(task=w.tasks[k], month="2021-06-01").count(),
    ),
    "submit report": (
        "post", lambda w, k: task_path(w.tasks[k], "report_edit"), lambda w, k: report_data(submit="1"),
        SUBMITTERS,
        lambda w, k: ProgressReport.objects.filter(task=w.tasks[k], month="2021-06-01", state="submitted").count(),
    ),
    "add milestone": (
        "post", lambda w, k: task_path(w.tasks[k], "milestone_create"),
        lambda w, k: {"title": "召开推进会", "due_date": "2021-09-30"},
        TASK_EDITORS, lambda w, k: Milestone.objects.filter(task=w.tasks[k]).count(),
    ),
    "tick milestone done": (
        "post", lambda w, k: reverse("tasks:milestone_done", args=[w.milestones[k].pk]),
        lambda w, k: {"done_on": "2021-05-20"},
        TASK_EDITORS, lambda w, k: Milestone.objects.get(pk=w.milestones[k].pk).done_on,
    ),
    "edit milestone": (
        "post", lambda w, k: reverse("tasks:milestone_update", args=[w.milestones[k].pk]),
        lambda w, k: {"title": "出台实施方案", "due_date": "2021-06-30"},
        TASK_EDITORS, lambda w, k: Milestone.objects.get(pk=w.milestones[k].pk).title,
    ),
    "set responsible person": (
        "post", lambda w, k: task_path(w.tasks[k], "responsible_person"),
        lambda w, k: {"responsible_person": "王老师", "version": Task.objects.get(pk=w.tasks[k].pk).version},
        TASK_EDITORS, lambda w, k: Task.objects.get(pk=w.tasks[k].pk).responsible_person,
    ),
    "open completion request": (
        "get", lambda w, k: task_path(w.tasks[k], "request_create", kind="completion"), None, REQUESTERS, None,
    ),
    "write instruction": (
        "post", lambda w, k: task_path(w.tasks[k], "instruction_create"), lambda w, k: {"text": "抓紧落实"},
        LEADERS, lambda w, k: w.tasks[k].instructions.count(),
    ),
    "reply to instruction": (
        "post", lambda w, k: reverse("tasks:instruction_reply", args=[w.instructions[k].pk]),
        lambda w, k: {"text": "已部署落实"},
        REQUESTERS, lambda w, k: w.instructions[k].replies.count(),
    ),
    "open review queue": ("get", lambda w, k: reverse("tasks:review_queue"), None, SUPERVISION, None),
    "accept report": (
        "post", lambda w, k: reverse("tasks:report_review", args=[w.reports[k].pk]),
        lambda w, k: {"decision": "accept", "version": w.reports[k].version},
        SUPERVISION, lambda w, k: ProgressReport.objects.get(pk=w.reports[k].pk).state,
    ),
    "decide request": (
        "post", lambda w, k: reverse("tasks:request_decide", args=[w.requests[k].pk]),
        lambda w, k: {"decision": "approve"},
        SUPERVISION, lambda w, k: TaskRequest.objects.get(pk=w.requests[k].pk).state,
    ),
    "download evidence": (
        "get", lambda w, k: reverse("tasks:evidence_download", args=[w.evidence[k].pk]), None,
        EVIDENCE_READERS, None,
    ),
    "open my tasks": ("get", lambda w, k: reverse("tasks:my_tasks"), None, EVERYONE, None),
    "open notifications": ("get", lambda w, k: reverse("tasks:notifications"), None, EVERYONE, None),
    "mark notifications read": (
        "post", lambda w, k: reverse("tasks:notifications_read"), lambda w, k: {}, EVERYONE, None,
    ),
}

CELLS = [(action, role, task_key) for action in ACTIONS for role in ROLES for task_key in ("own", "other")]


@pytest.mark.django_db
@pytest.mark.parametrize("action, role, task_key", CELLS, ids=["-".join(cell) for cell in CELLS])
def test_permission_matrix(client, world, action, role, task_key):
    method, url, data, expectations, snapshot = ACTIONS[action]
    if role != "anonymous":
        client.force_login(world.users[role])
    before = snapshot(world, task_key) if snapshot else None
    target = url(world, task_key)
    response = getattr(client, method)(target, data(world, task_key) if data else None)

    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        expected = "refused"
    else:
        expected = expectations[world.relation(role, task_key)]
        if expected == "ok":
            assert response.status_code in (200, 302), response.status_code
        else:
            assert response.status_code == expected
    if snapshot:
        after = snapshot(world, task_key)
        if expected == "ok":
            assert after != before, "an allowed action changed nothing"
        elif action != "save report draft" or expected != 400:
            assert after == before, "a refused action changed data"


@pytest.mark.django_db
def test_a_refused_submit_keeps_the_draft_and_says_who_may_submit(client, world):
    client.force_login(world.users["lead_staff"])
    response = client.post(task_path(world.tasks["own"], "report_edit"), report_data(submit="1"))
    assert response.status_code == 400
    assert "只有基教科负责人可以提交此报告" in response.content.decode()


@pytest.mark.django_db
def test_staff_may_submit_when_the_bureau_allows_it(client, settings, world):
    settings.STAFF_MAY_SUBMIT_REPORTS = True
    client.force_login(world.users["lead_staff"])
    assert client.post(task_path(world.tasks["own"], "report_edit"), report_data(submit="1")).status_code == 302
    assert ProgressReport.objects.get(task=world.tasks["own"], month="2021-06-01").state == "submitted"


@pytest.mark.django_db
def test_object_checks_agree_with_their_bulk_rules_and_querysets(world):
    """Each one-object check is its bulk rule applied to the object, and both agree with the
    queryset, in the cases where copies of the rules used to disagree: a superuser, an inactive
    account, a member of an inactive department, a completed task."""
    from django.contrib.auth import get_user_model

    from departments.services import department_update
    from tasks import permissions

    section = world.tasks["own"].section
    closed = factories.assigned_task(lead=world.lead, cooperating=[world.coop], section=section, number=3)
    services.task_complete(task=closed, completed_on=datetime.date(2021, 6, 30), actor=None)
    disbanded = factories.department("已撤销科室")
    factories.assigned_task(lead=disbanded, section=section, number=4)
    extra = {
        "superuser": factories.UserFactory(is_superuser=True, is_staff=True),
        "inactive lead staff": factories.member(world.lead, is_active=False),
        "inactive department head": factories.member(disbanded, role=Membership.Role.HEAD),
    }
    department_update(department=disbanded, is_active=False)
    # A plan published (its lead units acknowledge) and an archived plan (everything read-only).
    Plan.objects.filter(pk=section.plan_id).update(published_at=timezone.now())
    archived = factories.PlanFactory(year=2020, status=Plan.Status.ARCHIVED, published_at=timezone.now())
    old = factories.assigned_task(lead=world.lead, cooperating=[world.coop],
                                  section=factories.SectionFactory(plan=archived, number=1), number=1)
    left_submitted = factories.ProgressReportFactory(task=old, state=ProgressReport.State.SUBMITTED)
    tasks = list(Task.objects.all())
    for name, user in [*world.users.items(), *extra.items()]:
        user = get_user_model().objects.get(pk=user.pk)  # no cached roles or memberships
        reportable = set(permissions.tasks_reportable_by(user))
        by_task = permissions.reporting_memberships_by_task(user, tasks)
        assert reportable == {t for t in tasks if permissions.can_report_on_task(user, t)}, name
        assert reportable == {t for t in tasks if by_task[t.pk]}, name
        changeable = set(permissions.tasks_changeable_by(user))
        assert changeable == {t for t in tasks if permissions.can_change_task(user, t)}, name
        assert changeable == {t for t in tasks if t.pk in permissions.changeable_task_ids(user, tasks)}, name
        assigned = set(permissions.tasks_assigned_to(user))
        assert assigned == {t for t in tasks if t.pk in permissions.assigned_task_ids(user, tasks)}, name
        visible_reports = set(permissions.reports_visible_to(user))
        assert visible_reports == {r for r in ProgressReport.objects.all() if permissions.can_see_report(user, r)}, name
        acknowledgeable = set(permissions.tasks_acknowledgeable_by(user))
        assert acknowledgeable == {t for t in tasks if permissions.can_acknowledge_task(user, t)}, name
        assert acknowledgeable == {t for t in tasks if t.pk in permissions.acknowledgeable_task_ids(user, tasks)}, name
        reviewable = set(permissions.reports_reviewable_by(user))
        expected = (set(ProgressReport.objects.filter(state="submitted").exclude(pk=left_submitted.pk))
                    if permissions.can_review_reports(user) else set())
        assert reviewable == expected, name

        # The one policy, case by case.
        assert closed not in reportable and closed not in changeable, f"{name}: a completed task is closed"
        assert old not in reportable | changeable | acknowledgeable, f"{name}: an archived plan is read-only"
        if name == "superuser":
            assert not reportable, "a superuser reports for no office"
            assert changeable == {t for t in tasks if t.state != Task.State.COMPLETED and t != old}
            assert reviewable == expected != set()
        if name.startswith("inactive"):
            assert not (reportable or changeable or assigned or reviewable), name
    lead_staff = world.users["lead_staff"]
    assert closed in set(permissions.tasks_assigned_to(lead_staff)), "a closed task stays on my list"
    assert world.tasks["own"] in set(permissions.tasks_acknowledgeable_by(lead_staff)), "未签收 after publishing"
    assert permissions.can_see_evidence(lead_staff, closed)


@pytest.mark.django_db
def test_pages_offer_only_the_buttons_the_user_may_use(client, world):
    url = task_path(world.tasks["own"], "task_detail")
    offered = {}
    for role in ("lead_staff", "coop_staff", "unrelated_staff", "supervisor", "leader"):
        client.force_login(world.users[role])
        page = client.get(url).content.decode()
        offered[role] = {
            "report": "填报进展" in page,
            "milestones": "添加时间节点" in page,
            "requests": "申请办结" in page,
        }
    assert offered == {
        "lead_staff": {"report": True, "milestones": True, "requests": True},
        "coop_staff": {"report": True, "milestones": False, "requests": False},
        "unrelated_staff": {"report": False, "milestones": False, "requests": False},
        "supervisor": {"report": False, "milestones": True, "requests": False},
        "leader": {"report": False, "milestones": False, "requests": False},
    }
    client.force_login(world.users["lead_staff"])
    assert "审核" not in client.get(reverse("tasks:my_tasks")).content.decode().split("<main")[0]


def test_matrix_size():
    assert len(CELLS) == len(ACTIONS) * len(ROLES) * 2 == 266
