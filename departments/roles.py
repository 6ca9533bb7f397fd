"""The role registry: bureau-wide roles, held as auth groups, and the capabilities each grants.

Groups, permission checks, demo accounts and test fixtures are all derived from `ROLES`: adding a
role is adding one entry here (and its label to the translations).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Capability:
    """What a bureau-wide role lets a person do, whatever office they are in."""

    READ_ALL_TASKS = "read_all_tasks"  # every task, every submitted report, every dashboard
    SEE_DRAFT_PLANS = "see_draft_plans"
    CHANGE_ANY_TASK = "change_any_task"  # schedule, people and milestones of any open task
    REVIEW_REPORTS = "review_reports"
    DECIDE_REQUESTS = "decide_requests"
    IMPORT_PLANS = "import_plans"
    GENERATE_SUMMARIES = "generate_summaries"
    READ_SUMMARIES = "read_summaries"
    WRITE_INSTRUCTIONS = "write_instructions"
    RECEIVE_ESCALATIONS = "receive_escalations"  # told of tasks long overdue
    MANAGE_UNITS = "manage_units"  # units: names, aliases, kinds, merges, deactivation
    ISSUE_NOTICES = "issue_notices"  # 督办通知 to a task's lead unit
    MANAGE_PLANS = "manage_plans"  # the plan workspace: set up, publish (交办), adjust, archive, carry over
    MANAGE_PEOPLE = "manage_people"  # accounts: create, edit, deactivate, reset passwords, roles, unlocks
    READ_AUDIT_LOG = "read_audit_log"  # the security audit log: search and export, nothing else
    SET_SCORING_RULES = "set_scoring_rules"  # 考核评分细则: a new version of a plan's scoring rules
    ADJUST_SCORES = "adjust_scores"  # a unit's score for a month changed, with a written reason
    PUBLISH_PROGRESS = "publish_progress"  # 政务公开: a plan's public page on or off, the texts it shows


@dataclass(frozen=True)
class Role:
    name: str  # the auth group's name: what administrators see
    label: str
    capabilities: frozenset
    demo_username: str  # the account `load_demo` creates for this role
    landing: str  # the URL name a person of this role lands on after logging in
    # Models the role maintains in the Django admin ("app_label" or "app_label.model"): its group
    # gets their permissions, and its people are staff.
    admin_models: tuple = ()


LEADER = "局领导"
SUPERVISOR = "督查室"
# 三员分立 (等保2.0): configuration, accounts, and the audit log are three people's jobs. None of
# them reads the work plan's business data, and none needs a superuser.
ADMINISTRATOR = "系统管理员"
SECURITY_ADMINISTRATOR = "安全管理员"
AUDITOR = "审计管理员"

ROLES = (
    Role(LEADER, _("Bureau leader"), frozenset({
        Capability.READ_ALL_TASKS, Capability.READ_SUMMARIES, Capability.WRITE_INSTRUCTIONS,
        Capability.ADJUST_SCORES,
    }), "leader", "reports:dashboard"),
    Role(SUPERVISOR, _("Supervision office"), frozenset({
        Capability.READ_ALL_TASKS, Capability.SEE_DRAFT_PLANS, Capability.CHANGE_ANY_TASK,
        Capability.REVIEW_REPORTS, Capability.DECIDE_REQUESTS, Capability.IMPORT_PLANS,
        Capability.GENERATE_SUMMARIES, Capability.READ_SUMMARIES, Capability.RECEIVE_ESCALATIONS,
        Capability.MANAGE_UNITS, Capability.MANAGE_PLANS, Capability.ISSUE_NOTICES, Capability.SET_SCORING_RULES,
        Capability.PUBLISH_PROGRESS,
    }), "supervisor", "tasks:review_queue"),
    Role(ADMINISTRATOR, _("System administrator"), frozenset({Capability.MANAGE_UNITS}), "admin", "departments:units",
         admin_models=("departments.department", "departments.departmentalias", "departments.unitchannel",
                       "departments.integrationtoken",
                       "django_celery_beat")),
    Role(SECURITY_ADMINISTRATOR, _("Security administrator"), frozenset({Capability.MANAGE_PEOPLE}), "secadmin",
         "departments:people"),
    Role(AUDITOR, _("Audit administrator"), frozenset({Capability.READ_AUDIT_LOG}), "auditor", "departments:audit_log"),
)
ROLE_BY_NAME = {role.name: role for role in ROLES}
# The three administrators of 三员分立 keep the system, the accounts and the audit log; the work
# plan's business data is not theirs to read (unless they also hold another role or an office).
ADMINISTRATIVE_ROLES = frozenset({ADMINISTRATOR, SECURITY_ADMINISTRATOR, AUDITOR})
BUREAU_ROLES = {role.name: role.label for role in ROLES}

# The one superuser policy: an active superuser acts with the supervision office's capabilities
# (so the system administrator can put anything right), never with a leader's voice, and never
# reports for an office it is not a member of.
SUPERUSER_ROLE = ROLE_BY_NAME[SUPERVISOR]


def roles_of(user):
    """The bureau-wide role names of an active user, read once per request object."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_bureau_roles"):
        user._bureau_roles = frozenset(
            user.groups.filter(name__in=ROLE_BY_NAME).values_list("name", flat=True)
        )
    return user._bureau_roles


def landing_of(user):
    """Where a person of a bureau-wide role starts (the first of their roles in ROLES order), or None."""
    held = roles_of(user)
    role = next((role for role in ROLES if role.name in held), None)
    if role is None and user.is_authenticated and user.is_active and user.is_superuser:
        role = SUPERUSER_ROLE
    return role.landing if role else None


def capabilities_of(user):
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    held = set(SUPERUSER_ROLE.capabilities) if user.is_superuser else set()
    for name in roles_of(user):
        held |= ROLE_BY_NAME[name].capabilities
    return frozenset(held)


def holds(user, capability):
    return capability in capabilities_of(user)


def users_holding(capability):
    """The queryset twin of `holds`: every active user who holds the capability."""
    names = [role.name for role in ROLES if capability in role.capabilities]
    condition = Q(groups__name__in=names)
    if capability in SUPERUSER_ROLE.capabilities:
        condition |= Q(is_superuser=True)
    return get_user_model().objects.filter(condition, is_active=True).distinct()
