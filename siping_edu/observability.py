"""What an operator watches: the request id in every log line, /healthz and /readyz, and the
Prometheus metrics that django-prometheus does not collect itself (the Celery queue, job failures,
the beat's last heartbeat).

The request id is the proxy's (nginx sets X-Request-ID to its $request_id); a request that did not
come through the proxy gets one here. Jobs enqueued during a request carry it in a message header,
so a worker's log lines name the request that caused them.
"""

import contextvars
import ipaddress
import logging
import re
import time
import uuid

from celery.signals import (
    before_task_publish,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
)
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView, MediaType
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger(__name__)
current_request_id = contextvars.ContextVar("current_request_id", default="-")
# What a proxy may send; anything else (too long, odd characters) is replaced, not logged.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_HEADER = "request_id"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


# Jobs carry the request id (Celery copies custom message headers onto task.request).


@before_task_publish.connect
def _stamp_request_id(headers=None, **kwargs):
    if headers is not None and current_request_id.get() != "-":
        headers.setdefault(REQUEST_ID_HEADER, current_request_id.get())


_job_tokens = {}


@task_prerun.connect
def _adopt_request_id(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, REQUEST_ID_HEADER, None) or f"job-{task_id}"
    _job_tokens[task_id] = current_request_id.set(request_id)
    logger.info("job started: %s", task.name)


@task_postrun.connect
def _forget_request_id(task_id=None, **kwargs):
    token = _job_tokens.pop(task_id, None)
    if token is not None:
        current_request_id.reset(token)


# Job outcomes are counted in the shared cache, so that whichever web process is scraped reports
# every worker's totals (a worker's own memory would be invisible to Prometheus behind gunicorn).

JOB_OUTCOME_KEY = "metrics:job:{outcome}:{name}"


def _count_job(outcome, name):
    key = JOB_OUTCOME_KEY.format(outcome=outcome, name=name)
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key)
    except Exception:  # noqa: BLE001 — a metric must never fail the job it counts
        logger.warning("could not count job outcome %s of %s", outcome, name)


@task_success.connect
def _count_success(sender=None, **kwargs):
    _count_job("succeeded", sender.name)


@task_failure.connect
def _count_failure(sender=None, exception=None, **kwargs):
    _count_job("failed", sender.name)
    try:
        cache.set(JOB_LAST_FAILURE_KEY.format(name=sender.name), time.time(), timeout=None)
    except Exception:  # noqa: BLE001 — a metric must never fail the job it counts
        pass
    logger.warning("job %s failed: %s: %s", sender.name, type(exception).__name__, exception)


@task_retry.connect
def _count_retry(sender=None, reason=None, **kwargs):
    _count_job("retried", sender.name)
    logger.warning("job %s will be retried: %s", sender.name, reason)


JOB_LAST_FAILURE_KEY = "metrics:job:last-failure:{name}"


def job_last_failures():
    """{job name: Unix time of its last failure}."""
    from siping_edu.celery import app

    app.loader.import_default_modules()
    keys = {JOB_LAST_FAILURE_KEY.format(name=name): name for name in app.tasks if not name.startswith("celery.")}
    return {keys[key]: value for key, value in cache.get_many(list(keys)).items()}


def job_outcome_counts():
    """{(outcome, job name): count} for every job of the portal."""
    from siping_edu.celery import app

    # A web process has imported only the jobs its pages enqueue; load every app's jobs.py, as a
    # worker does at start, so that each job's counts are found.
    app.loader.import_default_modules()
    names = sorted(name for name in app.tasks if not name.startswith("celery."))
    keys = {JOB_OUTCOME_KEY.format(outcome=outcome, name=name): (outcome, name)
            for name in names for outcome in ("succeeded", "failed", "retried")}
    found = cache.get_many(list(keys))
    return {keys[key]: count for key, count in found.items()}


def queue_lengths():
    """{queue: jobs waiting} on the Redis broker; empty for the in-process default."""
    if not settings.REDIS_URL:
        return {}
    from siping_edu.celery import app

    queues = {app.conf.task_default_queue} | {queue.name for queue in app.conf.task_queues or ()}
    with app.connection_for_read() as connection:
        client = connection.default_channel.client
        return {queue: client.llen(queue) for queue in sorted(queues)}


BEAT_HEARTBEAT_KEY = "metrics:beat:last-heartbeat"


class PortalCollector:
    """Read at each scrape, from the shared cache and the broker: the same figures from any host."""

    def collect(self):
        waiting = GaugeMetricFamily("siping_celery_queue_length", "Jobs waiting in a Celery queue", labels=["queue"])
        try:
            for queue, length in queue_lengths().items():
                waiting.add_metric([queue], length)
        except Exception as error:  # noqa: BLE001 — the broker is down: the scrape still answers
            logger.warning("queue length unavailable: %s", error)
        yield waiting
        outcomes = CounterMetricFamily("siping_celery_jobs", "Jobs finished, by outcome", labels=["job", "outcome"])
        try:
            for (outcome, name), count in sorted(job_outcome_counts().items()):
                outcomes.add_metric([name, outcome], count)
        except Exception as error:  # noqa: BLE001
            logger.warning("job counts unavailable: %s", error)
        yield outcomes
        failures = GaugeMetricFamily("siping_celery_job_last_failure_timestamp_seconds",
                                     "When a job last failed (Unix time); the error is in the worker's log", labels=["job"])
        try:
            for name, when in sorted(job_last_failures().items()):
                failures.add_metric([name], when)
        except Exception as error:  # noqa: BLE001
            logger.warning("job failures unavailable: %s", error)
        yield failures
        heartbeat = cache.get(BEAT_HEARTBEAT_KEY)
        if heartbeat:
            yield GaugeMetricFamily("siping_beat_last_heartbeat_timestamp_seconds",
                                    "When the beat's heartbeat job last ran (Unix time)", value=heartbeat)


def record_beat_heartbeat():
    cache.set(BEAT_HEARTBEAT_KEY, time.time(), timeout=None)


# Views


def healthz(request):
    """The process answers: for the proxy's liveness check; touches nothing else."""
    return HttpResponse("ok\n", content_type="text/plain")


def _checks():
    checks = ["health_check.checks.Database", "health_check.checks.Cache", "health_check.checks.Storage"]
    if settings.REDIS_URL:
        from redis.asyncio import Redis

        checks.append(("health_check.contrib.redis.Redis",
                       {"client_factory": lambda: Redis.from_url(settings.CELERY_BROKER_URL)}))
    return checks


class ReadinessView(HealthCheckView):
    """Database, cache, broker and file storage answer; 503 (not 500) when one does not, so the
    proxy or orchestrator takes this host out of rotation. Only from METRICS_ALLOWED_NETWORKS."""

    def get_checks(self):
        self.checks = _checks()
        return super().get_checks()

    async def dispatch(self, request, *args, **kwargs):
        # The checks' errors name internal hosts and ports: for the internal network only.
        if not address_may_read_metrics(request.META.get("REMOTE_ADDR", "")):
            return HttpResponseNotFound()
        try:
            list(MediaType.parse_header(request.META.get("HTTP_ACCEPT", "*/*")))
        except ValueError:
            # django-health-check raises on a malformed Accept header: answer in JSON instead of a 500.
            request.META["HTTP_ACCEPT"] = "application/json"
            request.__dict__.pop("headers", None)  # request.headers is cached from META
        response = await super().dispatch(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response


def address_may_read_metrics(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
def metrics(request):
    """Prometheus metrics, for the internal network only (the connection's own address: a header
    cannot open it). The public proxy does not route /metrics at all."""
    if not address_may_read_metrics(request.META.get("REMOTE_ADDR", "")):
        return HttpResponseNotFound()
    import os

    import prometheus_client
    from prometheus_client import multiprocess

    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        # Under gunicorn each worker process counts its own requests into files in this folder;
        # the scrape adds them up, whichever worker answers it.
        process_registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
    else:
        process_registry = prometheus_client.REGISTRY
    portal_registry = prometheus_client.CollectorRegistry()
    portal_registry.register(PortalCollector())
    body = prometheus_client.generate_latest(process_registry) + prometheus_client.generate_latest(portal_registry)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
