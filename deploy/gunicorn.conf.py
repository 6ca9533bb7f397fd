"""gunicorn settings for one web host (deploy/systemd/siping-edu-web@.service).

Everything comes from the environment file; the defaults suit a 2-core host.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A request still running after this is killed and its worker replaced (its transaction rolls back).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so that a slow leak cannot grow for weeks.
max_requests = 2000
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only the proxy's X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXY_ADDRESSES", "127.0.0.1,::1")
accesslog = "-"
access_log_format = (
    '{"time":"%(t)s","request_id":"%({x-request-id}i)s","method":"%(m)s","uri":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"microseconds":%(D)s,"pid":%(p)s}'
)


def child_exit(server, worker):
    # Prometheus counts per worker process in PROMETHEUS_MULTIPROC_DIR; a dead worker's live gauges
    # must not be summed any more.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
