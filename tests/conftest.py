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


# Files on a real S3 endpoint: moto's server, over HTTP on loopback, as the portal would reach MinIO.
S3_KEYS = {"access_key": "portal-test", "secret_key": "portal-test-secret", "region_name": "us-east-1"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of an S3 server started for this test session (moto, a real HTTP endpoint)."""
    import logging
    import socket

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=S3_KEYS["access_key"],
                        aws_secret_access_key=S3_KEYS["secret_key"], region_name=S3_KEYS["region_name"])


def s3_bucket(endpoint):
    """A new, empty bucket on the endpoint; returns its name."""
    import uuid

    name = f"portal-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def s3_settings(endpoint, bucket):
    """The environment that points the portal at `bucket` (what an operator sets, see README)."""
    return {"OBJECT_STORAGE_BUCKET": bucket, "OBJECT_STORAGE_ENDPOINT_URL": endpoint,
            "OBJECT_STORAGE_ACCESS_KEY": S3_KEYS["access_key"], "OBJECT_STORAGE_SECRET_KEY": S3_KEYS["secret_key"],
            "OBJECT_STORAGE_REGION": S3_KEYS["region_name"]}


def use_s3(settings, endpoint, bucket):
    settings.OBJECT_STORAGE_BUCKET = bucket
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint, **S3_KEYS, "addressing_style": "path",
                    "signature_version": "s3v4", "default_acl": None, "file_overwrite": False,
                    "querystring_expire": 60},
    }}


@pytest.fixture(params=["local", "s3"])
def file_storage(request, settings):
    """Run the test twice: on the local MEDIA_ROOT (the embedded default) and on an S3 bucket."""
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        use_s3(settings, endpoint, s3_bucket(endpoint))
    return request.param
