import os

import pytest

from departments.models import Membership

from . import factories

# Playwright runs an event loop in the test thread; the ORM calls beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher; tests create many users and need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_factor_only_where_tested(request, settings):
    # Most tests act as a leader or the supervision office through force_login; the second factor
    # is tested where marked (`two_factor`), the rest are not asked for it.
    if "two_factor" not in request.keywords:
        settings.TWO_FACTOR_REQUIRED_ROLES = []
        settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = False


@pytest.fixture(autouse=True)
def _fresh_status_revision():
    # Cached dashboards are keyed by the data revision; each test's data is new (and Redis
    # outlives the test database), so each test starts from a revision no page was cached under.
    from tasks.status import _new_revision

    _new_revision()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def lead_department(db):
    return factories.department("基础教育科", short_name="基教科", order=1)


@pytest.fixture
def cooperating_department(db):
    return factories.department("督导室", order=2)


@pytest.fixture
def unrelated_department(db):
    return factories.department("计划财务科", short_name="计财科", order=3)


@pytest.fixture
def lead_staff(lead_department):
    return factories.member(lead_department, username="lead_staff")


@pytest.fixture
def lead_head(lead_department):
    return factories.member(lead_department, role=Membership.Role.HEAD, username="lead_head")


@pytest.fixture
def cooperating_staff(cooperating_department):
    return factories.member(cooperating_department, username="coop_staff")


@pytest.fixture
def unrelated_staff(unrelated_department):
    return factories.member(unrelated_department, username="other_staff")


@pytest.fixture
def supervisor_user(db):
    return factories.supervisor(username="supervisor")


@pytest.fixture
def leader_user(db):
    return factories.leader(username="leader")


@pytest.fixture
def task(lead_department, cooperating_department):
    return factories.assigned_task(lead=lead_department, cooperating=[cooperating_department])
