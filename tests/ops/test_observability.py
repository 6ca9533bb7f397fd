"""/healthz, /readyz, /metrics, the request id in logs, and the beat's leader lock."""

import json
import logging
import os

import pytest
from django.urls import reverse

from siping_edu.observability import RequestIdLogFilter, current_request_id

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login_or_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_readyz_checks_database_cache_and_storage(client):
    response = client.get("/readyz", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    results = response.json()
    assert all(value == "OK" for value in results.values())
    names = " ".join(results)
    assert "Database" in names and "Cache" in names and "Storage" in names
    if os.environ.get("REDIS_URL"):
        assert "Redis" in names, "the broker is checked where there is one"


@pytest.mark.parametrize("accept", [";;;", "image/png", "text/plain"])
def test_readyz_answers_any_accept_header_without_a_500(client, accept):
    response = client.get("/readyz", HTTP_ACCEPT=accept)
    assert response.status_code in (200, 406), (accept, response.status_code)


def test_readyz_only_for_the_internal_network(client):
    assert client.get("/readyz", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/readyz", REMOTE_ADDR="192.168.3.4", HTTP_ACCEPT="application/json").status_code == 200


def test_readyz_is_503_when_storage_refuses(client, settings, s3_endpoint):
    from ..conftest import use_s3

    use_s3(settings, s3_endpoint, "no-such-bucket")
    response = client.get("/readyz", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert any(value != "OK" for name, value in response.json().items() if "Storage" in name)


def test_metrics_only_for_the_internal_network(client, settings):
    from ops.jobs import beat_heartbeat

    from django.core.cache import cache

    client.get(reverse("login"))
    cache.get("metrics-test-unset-key")  # a miss, counted
    beat_heartbeat.apply()  # run here, with the signals a worker sends: counted like a worker's job
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404
    response = client.get("/metrics", REMOTE_ADDR="10.2.3.4")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert "django_db_execute_total" in text, "database metrics (django-prometheus's engine wrapper)"
    assert "django_cache_get_total" in text
    assert 'siping_celery_jobs_total{job="ops.jobs.beat_heartbeat",outcome="succeeded"}' in text
    assert "siping_beat_last_heartbeat_timestamp_seconds" in text
    if os.environ.get("REDIS_URL"):
        assert 'siping_celery_queue_length{queue="celery"}' in text


def test_every_response_and_log_line_carries_the_request_id(client, caplog):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="f3a9c2e1b7d64a58")
    assert response["X-Request-ID"] == "f3a9c2e1b7d64a58", "the proxy's id is kept"
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\nINFO fake log line")["X-Request-ID"]
    assert "\n" not in forged and len(forged) == 32, "an unsafe id is replaced, not logged"

    token = current_request_id.set("f3a9c2e1b7d64a58")
    try:
        record = logging.LogRecord("tasks", logging.WARNING, __file__, 1, "报告已提交", None, None)
        RequestIdLogFilter().filter(record)
    finally:
        current_request_id.reset(token)
    from pythonjsonlogger.json import JsonFormatter

    from django.conf import settings as django_settings

    options = {{"format": "fmt"}.get(key, key): value
               for key, value in django_settings.LOGGING["formatters"]["json"].items() if key != "()"}
    line = JsonFormatter(**options).format(record)
    parsed = json.loads(line)
    assert parsed["request_id"] == "f3a9c2e1b7d64a58" and parsed["message"] == "报告已提交"
    assert parsed["level"] == "WARNING" and "报告已提交" in line, "Chinese stays readable"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the leader lock is in Redis; CI sets REDIS_URL")
def test_only_one_beat_leads_and_the_other_takes_over_when_it_stops(settings):
    from siping_edu.beat import SingleLeaderScheduler
    from siping_edu.celery import app

    first = SingleLeaderScheduler(app=app, lazy=True)
    second = SingleLeaderScheduler(app=app, lazy=True)
    try:
        first._keep_or_take_the_lead()
        second._keep_or_take_the_lead()
        assert (first._leading, second._leading) == (True, False)
        first._keep_or_take_the_lead()
        second._keep_or_take_the_lead()
        assert (first._leading, second._leading) == (True, False), "the leader renews; the other waits"
        first._lock.release()
        first._leading = False
        second._keep_or_take_the_lead()
        assert second._leading, "a stopped leader's lock is taken over"
    finally:
        for scheduler in (first, second):
            if scheduler._leading:
                scheduler._lock.release()
