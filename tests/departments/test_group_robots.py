"""企业微信 / 钉钉 group robots, against a local HTTP server standing in for the service: the
payload, DingTalk's signature, retries of what passes, no retries of what will not, timeouts."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from departments.jobs import deliver_channel_message, retry_channel_messages
from departments.models import ChannelDelivery, UnitChannel
from departments.services import channel_post, channel_set

from .. import factories

pytestmark = pytest.mark.django_db
SECRET = "SEC0123456789abcdef"


class Robot:
    """A fake robot service: answers from a script (status, body) and records every request."""

    def __init__(self):
        self.answers, self.received, self.release = [], [], threading.Event()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                robot.received.append((self.path, json.loads(self.rfile.read(length))))
                status, body = robot.answers.pop(0) if robot.answers else (200, {"errcode": 0, "errmsg": "ok"})
                if status == "hang":
                    robot.release.wait(10)  # until the test ends; the client gives up first
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(body).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    server = Robot()
    yield server
    server.close()


@pytest.fixture
def unit():
    department = factories.department("基础教育科")
    factories.member(department)
    return department


def post(unit, text, capture):
    """Queue the message, then run its job here as a worker would (with Redis configured, the
    commit would hand the job to a broker instead of running it in this process)."""
    with capture(execute=False):
        deliveries = channel_post(departments=[unit], text=text)
    for delivery in deliveries:
        deliver_channel_message(delivery.pk)
    return deliveries


def test_wecom_gets_a_text_message(robot, unit, django_capture_on_commit_callbacks):
    channel_set(department=unit, kind=UnitChannel.Kind.WECOM, webhook_url=f"{robot.url}/cgi-bin/webhook/send?key=k1")
    [delivery] = post(unit, "2026年工作要点已交办：基教科牵头3项。", django_capture_on_commit_callbacks)
    path, body = robot.received[0]
    assert path == "/cgi-bin/webhook/send?key=k1"
    assert body == {"msgtype": "text", "text": {"content": "2026年工作要点已交办：基教科牵头3项。"}}
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.sent_at is not None) == ("sent", 1, True)


def test_dingtalk_messages_are_signed(robot, unit, django_capture_on_commit_callbacks):
    channel_set(department=unit, kind=UnitChannel.Kind.DINGTALK,
                webhook_url=f"{robot.url}/robot/send?access_token=t1", secret=SECRET)
    post(unit, "测试", django_capture_on_commit_callbacks)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(robot.received[0][0]).query)
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{query['timestamp'][0]}\n{SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["access_token"] == ["t1"] and query["sign"] == [expected]


def test_a_rate_limit_is_retried_later_and_a_bad_signature_is_not(robot, unit, django_capture_on_commit_callbacks):
    channel_set(department=unit, kind=UnitChannel.Kind.WECOM, webhook_url=f"{robot.url}/send?key=k")
    robot.answers = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"})]
    [delivery] = post(unit, "限流", django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 1) and "45009" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    retry_channel_messages()
    assert len(robot.received) == 1, "not due yet: nothing is sent again"
    ChannelDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    retry_channel_messages()
    retry_channel_messages()  # safe to run twice
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, len(robot.received)) == ("sent", 2, 2)

    robot.answers = [(200, {"errcode": 310000, "errmsg": "sign not match"})]
    [refused] = post(unit, "签名错误", django_capture_on_commit_callbacks)
    refused.refresh_from_db()
    assert (refused.state, refused.attempts) == ("failed", 1) and "310000" in refused.last_error


def test_server_errors_are_retried_five_times_then_given_up(robot, unit, django_capture_on_commit_callbacks):
    channel_set(department=unit, kind=UnitChannel.Kind.WECOM, webhook_url=f"{robot.url}/send?key=k")
    robot.answers = [(502, {})] * 5
    [delivery] = post(unit, "服务异常", django_capture_on_commit_callbacks)
    for _ in range(4):
        ChannelDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        retry_channel_messages()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("failed", 5, "HTTP 502")


def test_a_hanging_service_is_cut_off_by_the_timeout(robot, unit, settings, django_capture_on_commit_callbacks):
    settings.CHANNEL_TIMEOUT_SECONDS = 1
    channel_set(department=unit, kind=UnitChannel.Kind.WECOM, webhook_url=f"{robot.url}/send?key=k")
    robot.answers = [("hang", None)]
    [delivery] = post(unit, "超时", django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 1) and "timed out" in delivery.last_error


def test_publishing_posts_each_units_notice_to_its_robot(robot, unit, supervisor_user, django_capture_on_commit_callbacks):
    from tasks import services
    from tasks.models import Plan

    channel_set(department=unit, kind=UnitChannel.Kind.WECOM, webhook_url=f"{robot.url}/send?key=k")
    plan = factories.PlanFactory(year=2030, status=Plan.Status.DRAFT)
    factories.assigned_task(lead=unit, section=factories.SectionFactory(plan=plan), number=1)
    with django_capture_on_commit_callbacks(execute=False):
        services.plan_publish(plan=plan, actor=supervisor_user)
    retry_channel_messages()  # as the beat job would: every queued message that is due
    assert len(robot.received) == 1 and "基础教育科" in robot.received[0][1]["text"]["content"]
