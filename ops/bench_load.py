"""`make bench`, under load: wrk against gunicorn serving the login page, the dashboard and the pages
staff use every day, each opened as the person who uses it (ops/bench.py has the rest)."""

import os
import shutil
import signal
import subprocess
import sys
import time

from django.db import connection

from ops.bench import HERE, BenchRow, _row

def bench_load(big, people, password, seconds):
    """wrk against gunicorn (2 workers): the login page, the dashboard and the pages staff use
    every day, each as the person who opens it. `people` maps leader / staff / supervisor to
    users, all with `password`; the staff member's office leads the task opened."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return [BenchRow("Load test", 0, 0, 0, ">= 0.3", "req/s", "wrk is not installed (make bench installs it)")]
    from tasks.models import Task

    port = 8765
    environment = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "0",
                   "SECRET_KEY": "bench-only-not-a-secret", "ALLOWED_HOSTS": "127.0.0.1",
                   "SECURE_SSL_REDIRECT": "0", "BEHIND_HTTPS_PROXY": "0", "SESSION_COOKIE_SECURE": "0",
                   "CSRF_COOKIE_SECURE": "0",
                   # The bench measures pages, not the second factor: its leader signs in with a password.
                   "TWO_FACTOR_REQUIRED_ROLES": "", "TWO_FACTOR_REQUIRED_FOR_SUPERUSERS": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "siping_edu.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=HERE, env=environment, start_new_session=True,
    )
    task = (Task.objects.filter(plan=big, lead_department__memberships__user=people["staff"])
            .exclude(state=Task.State.COMPLETED).order_by("number").first())
    month = f"{big.year}-12"
    pages = [
        ("login", None, "/accounts/login/"),
        ("dashboard", "leader", f"/dashboard/?year={big.year}"),
        ("task page", "leader", f"/plans/{big.year}/tasks/{task.number}/"),
        ("my tasks", "staff", f"/my/?year={big.year}&month={month}"),
        ("report form", "staff", f"/plans/{big.year}/tasks/{task.number}/report/?month={month}"),
        ("review queue", "supervisor", "/review/"),
        ("messages", "staff", "/notifications/"),
        ("search", "leader", "/search/?q=%E4%B8%93%E9%A2%98%E4%BC%9A%E8%AE%AE"),
    ]
    try:
        _wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        cookies = {who: _login_cookie(port, user.username, password) for who, user in people.items()}
        results = {}
        for name, who, path in pages:
            headers = ["-H", f"Cookie: {cookies[who]}"] if who else []
            results[name] = _wrk(wrk, f"http://127.0.0.1:{port}{path}", headers, seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    login = results["login"]["rps"]
    errors = sum(result["errors"] for result in results.values())
    note = f"16 connections, {seconds} s a page, gunicorn 2 workers; login {login:.0f} req/s"
    rows = [_row(f"Under load: {name} req/s ÷ login page req/s", results[name]["rps"], login, ">= 0.3", "req/s",
                 note if name == "dashboard" else "")
            for name, _who, _path in pages[1:]]
    rows.append(BenchRow("Under load: errors over all pages", errors, 0, float(errors), "= 0", "errors"))
    return rows


def _database_url():
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def _wait_for(url, timeout=30):
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server at {url} did not answer")
            time.sleep(0.2)


def _login_cookie(port, username, password):
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/", data=data.encode(),
                                     headers={"Referer": f"http://127.0.0.1:{port}/accounts/login/"})
    opener.open(request)
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("could not log in to the benchmark server")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _wrk(wrk, url, headers, seconds):
    # One request first, as a user's first visit would: the dashboard is then served from the cache.
    subprocess.run([wrk, "-t", "1", "-c", "1", "-d", "1s", "--timeout", "30s", *headers, url], capture_output=True, check=True)
    output = subprocess.run([wrk, "-t", "2", "-c", "16", "-d", f"{seconds}s", "--timeout", "10s", "--latency", *headers, url],
                            capture_output=True, text=True, check=True).stdout
    import re

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"):
        match = re.search(pattern, output)
        if match:
            errors += sum(int(group) for group in match.groups())
    return {"rps": rps, "errors": errors}
