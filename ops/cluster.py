"""The portal run as a province would run it, on one machine's loopback: nginx (the site of
deploy/nginx) in front of N gunicorn instances, each in its own working directory, one Celery
worker and one or more beats as separate processes, all on the same PostgreSQL, Redis and S3
endpoint. Used by the cluster test (tests/ops/test_cluster.py, `make cluster-check`) and by
`make bench` (requests per second through the proxy with one and two instances).
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from ops.deploy_config import render_nginx_site


class RedisServer:
    """A redis-server of one's own on a spare port, to stop and start (a fault test, the fault run)."""

    def __init__(self, folder):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = Path(folder)
        self.process = None

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise ClusterError("redis-server did not listen")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class ClusterError(Exception):
    """A part of the cluster did not start; the message names it and ends with its log."""


def nginx_binary():
    """nginx from the Debian package (in /usr/sbin, which may not be on a user's PATH), or None."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) else None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port, process, name, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClusterError(f"{name} exited ({process.returncode}): {_tail(log)}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise ClusterError(f"{name} did not listen on {port} within {timeout} s: {_tail(log)}")


def _tail(path, lines=15):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path
    home: Path
    port: int | None = None

    @property
    def alive(self):
        return self.popen.poll() is None

    def kill(self, sig=signal.SIGKILL):
        if self.alive:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=30)


@dataclass
class Cluster:
    """`environment` holds what every host shares: DATABASE_URL, REDIS_URL, OBJECT_STORAGE_*."""

    root: Path
    environment: dict
    web_count: int = 2
    beat_count: int = 1
    web_workers: int = 2
    # One folder all hosts share (an NFS mount, or the fault run's small tmpfs) instead of a bucket.
    shared_media_root: Path | None = None
    processes: list = field(default_factory=list)

    def __post_init__(self):
        self.root = Path(self.root)
        self.https_port = free_port()
        self.http_port = free_port()
        self.static_root = self.root / "static"
        self.secret_key = secrets.token_urlsafe(40)

    @property
    def url(self):
        return f"https://127.0.0.1:{self.https_port}"

    def host_environment(self, home):
        """One host's environment: the shared settings, and its own directories (which must stay
        empty of anything but caches)."""
        return {
            **{key: value for key, value in os.environ.items() if not key.startswith(("OBJECT_STORAGE", "PYTEST"))},
            **self.environment,
            "DJANGO_SETTINGS_MODULE": "siping_edu.settings",
            "PYTHONPATH": str(settings.BASE_DIR),
            "DEBUG": "0",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(self.static_root),
            "MEDIA_ROOT": str(self.shared_media_root or home / "media"),
            "LOG_FORMAT": "json",
            "TWO_FACTOR_REQUIRED_ROLES": "",
            "TWO_FACTOR_REQUIRED_FOR_SUPERUSERS": "0",
            "PROMETHEUS_MULTIPROC_DIR": str(home / "prometheus"),
            "BEAT_LEADER_LOCK_SECONDS": self.environment.get("BEAT_LEADER_LOCK_SECONDS", "3"),
        }

    def _start(self, name, command, *, port=None):
        home = self.root / name
        (home / "prometheus").mkdir(parents=True, exist_ok=True)
        log = home / "log.jsonl"
        popen = subprocess.Popen(
            command, cwd=home, env=self.host_environment(home), stdout=log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill takes its gunicorn workers too
        )
        process = Process(name, popen, log, home, port)
        self.processes.append(process)
        return process

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        collect = subprocess.run(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "collectstatic", "--no-input", "-v0"],
            env=self.host_environment(self.root), capture_output=True, text=True, cwd=self.root,
        )
        if collect.returncode:
            raise ClusterError(f"collectstatic failed: {collect.stderr[-2000:]}")
        self.webs = [self.start_web(index) for index in range(self.web_count)]
        self.worker = self.start_worker()
        self.beats = [self.start_beat(index) for index in range(self.beat_count)]
        self._start_proxy()
        return self

    def start_web(self, index):
        port = free_port()
        web = self._start(f"web-{index + 1}", [
            sys.executable, "-m", "gunicorn", "siping_edu.wsgi", "--config", str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}", "--workers", str(self.web_workers)], port=port)
        _wait_for_port(port, web.popen, web.name, web.log)
        return web

    def start_worker(self, name="worker"):
        return self._start(name, [
            sys.executable, "-m", "celery", "-A", "siping_edu", "worker", "--pool", "solo", "--hostname",
            f"cluster-{name}-{self.https_port}@%h", "--without-mingle", "--without-gossip", "--loglevel", "INFO"])

    def start_beat(self, index):
        return self._start(f"beat-{index + 1}", [
            sys.executable, "-m", "celery", "-A", "siping_edu", "beat", "--loglevel", "INFO"])

    def _start_proxy(self):
        home = self.root / "nginx"
        (home / "temp").mkdir(parents=True, exist_ok=True)
        certificate, key = home / "portal.crt", home / "portal.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
        site = render_nginx_site(
            upstreams=[f"127.0.0.1:{web.port}" for web in self.webs], server_name="127.0.0.1 localhost",
            http_listen=f"127.0.0.1:{self.http_port}", https_listen=f"127.0.0.1:{self.https_port}",
            tls_certificate=str(certificate), tls_certificate_key=str(key), static_root=self.static_root,
            access_log=str(home / "access.jsonl"),
            object_storage_endpoint=self.environment.get("OBJECT_STORAGE_ENDPOINT_URL", ""),
        )
        (home / "siping-edu.conf").write_text(site)
        temp = home / "temp"
        # Run by root (CI, the fault run), nginx's workers would be "nobody", who cannot write request
        # bodies into this private temporary folder; a loopback harness may keep them as root.
        user = "user root root;" if os.geteuid() == 0 else ""
        (home / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {home / 'nginx.pid'};
error_log {home / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {home / 'siping-edu.conf'};
}}
""")
        self.proxy = self._start("nginx", [nginx_binary(), "-c", str(home / "nginx.conf"), "-p", str(home)], port=self.https_port)
        _wait_for_port(self.https_port, self.proxy.popen, "nginx", home / "error.log")

    def stop(self):
        for process in reversed(self.processes):
            if process.alive:
                process.kill(signal.SIGTERM)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def portal_session():
    """An HTTP session for the cluster: its own self-signed certificate, loopback only (no proxy or CA
    bundle from the environment)."""
    import requests
    import urllib3

    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    session = requests.Session()
    session.verify, session.trust_env = False, False
    return session


def portal_login(session, base, username, password):
    """Log in through the login form, as a browser does."""
    page = session.get(base + "/accounts/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    answer = session.post(base + "/accounts/login/", data={"username": username, "password": password,
                                                          "csrfmiddlewaretoken": token},
                          headers={"Referer": base + "/accounts/login/"}, allow_redirects=False, timeout=30)
    if answer.status_code != 302:
        raise RuntimeError(f"{username} could not log in ({answer.status_code})")
