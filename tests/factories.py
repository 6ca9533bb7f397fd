import datetime

import factory
from django.utils import timezone
from django.contrib.auth import get_user_model

from departments import roles
from departments.models import Membership
from departments.services import department_create, membership_set, role_grant
from tasks import services
from tasks.models import Milestone, Plan, ProgressReport, Section, Task


TEST_PASSWORD = "pass-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(TEST_PASSWORD)


def department(name, **fields):
    return department_create(name=name, **fields)


def member(department, *, role=Membership.Role.STAFF, **fields):
    user = UserFactory(**fields)
    membership_set(user=user, department=department, role=role)
    return user


def with_role(role_name, **fields):
    user = UserFactory(**fields)
    role_grant(users=[user], role_name=role_name)
    return user


def leader(**fields):
    return with_role(roles.LEADER, **fields)


def supervisor(**fields):
    return with_role(roles.SUPERVISOR, **fields)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    year = factory.Sequence(lambda n: 2100 + n)
    title = factory.LazyAttribute(lambda plan: f"{plan.year}年教育工作要点")
    status = Plan.Status.ACTIVE


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"板块{n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    section = factory.SubFactory(SectionFactory)
    plan = factory.SelfAttribute("section.plan")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"工作任务{n}")
    content = "具体内容。"
    deadline = datetime.date(2021, 12, 31)
    deadline_text = "全年"


def assigned_task(*, lead, cooperating=(), actor=None, **fields):
    task = TaskFactory(**fields)
    return services.task_assign_departments(
        task=task, lead=lead, cooperating=list(cooperating), actor=actor
    )


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    task = factory.SubFactory(TaskFactory)
    title = factory.Sequence(lambda n: f"节点{n}")
    due_date = datetime.date(2021, 6, 30)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    task = factory.SubFactory(TaskFactory)
    month = datetime.date(2021, 5, 1)
    department = factory.LazyAttribute(lambda report: report.task.lead_department)
    author = factory.SubFactory(UserFactory)
    progress = "本月按计划推进。"
    percent = 40


def submitted_on(report, day):
    """Date a submission in the plan's year: the status rules judge a past date by what had
    arrived by then, and the services stamp the real (later) time."""
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moment)
    report.submitted_at = moment
    return report
