"""What a user sees when a part the portal stands on is missing: the database unreachable or busy
(a restart, a failover, SQLite locked), or a file store refusing. Never a 500 with a traceback.

A request that fails because the database went away answers 503 with a static page (rendering it
needs no database). A form posted at that moment is shown back: its texts, and a button that
sends them again, so what was typed is not lost; the retry cannot save anything twice, because
the first attempt's transaction was rolled back and every form carries its version.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

BUSY = ("database is locked", "database table is locked")
GONE = ("connection", "server closed", "terminating", "could not connect", "the database system is",
        "not currently accepting connections", "ssl syscall", "eof detected")
# Posted fields that are never echoed back into a page.
NOT_SHOWN = ("csrfmiddlewaretoken", "password", "token", "otp")
# The texts a person wrote, shown back with their labels (the rest is only re-sent).
WRITTEN = {"progress": "进展情况", "problems": "存在问题", "next_steps": "下步打算", "reason": "原因",
           "text": "内容", "comment": "意见", "reply": "回复"}


def database_unavailable(exception):
    if isinstance(exception, InterfaceError):
        return True
    if isinstance(exception, OperationalError):
        message = str(exception).lower()
        return any(part in message for part in BUSY + GONE)
    return False


def unavailable_response(request):
    """The 503 page; for a POST, with the posted texts and a button to send them again."""
    fields, kept = [], []
    if request.method == "POST":
        try:
            posted = request.POST
        except Exception:  # noqa: BLE001 — an unreadable body: show the page without it
            posted = {}
        for name in posted:
            if name.startswith(NOT_SHOWN) or any(secret in name for secret in ("password", "otp_")):
                continue
            for value in posted.getlist(name):
                fields.append((name, value))
                if name in WRITTEN and value.strip():
                    kept.append((WRITTEN[name], value))
        token = posted.get("csrfmiddlewaretoken", "") if posted else ""
        if token:
            fields.append(("csrfmiddlewaretoken", token))
        had_files = bool(getattr(request, "_files", None))  # parsed with the POST above
    else:
        had_files = False
    response = HttpResponse(render_to_string("503.html", {
        "retry_url": request.get_full_path() if request.method == "POST" else "",
        "fields": fields, "kept": kept[:20], "had_files": had_files,
    }), status=503)  # no request context: no context processor may touch the database
    response["Retry-After"] = "5"
    return response


def server_error(request):
    """handler500: an exception nobody caught. A database that went away is a 503 (wherever it
    was noticed: a view, a middleware reading the session, a template); anything else is the 500
    page."""
    exception = sys.exc_info()[1]
    if database_unavailable(exception):
        return unavailable_response(request)
    return HttpResponseServerError(render_to_string("500.html"))
