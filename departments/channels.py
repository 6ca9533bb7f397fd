"""Posting a text to a 企业微信 or 钉钉 group robot: the payload, DingTalk's signature, and what
counts as delivered, retried later or given up.

Both services answer HTTP 200 with {"errcode": 0, "errmsg": "ok"} when the message is taken; an
errcode other than 0 is their refusal. Rate limits are worth retrying, a wrong key or signature
is not. Every call is bounded by CHANNEL_TIMEOUT_SECONDS.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from .models import UnitChannel

# Refusals that pass with time: WeCom's and DingTalk's "sending too fast", a busy system.
RETRIABLE_ERRCODES = {-1, 45009, 130101, 660026}
MAX_TEXT = 2000  # both services cut longer texts


@dataclass
class Outcome:
    delivered: bool
    retriable: bool
    error: str = ""


def signed_url(url, secret, *, now_ms=None):
    """DingTalk 加签: timestamp and base64(HMAC-SHA256(secret, "timestamp\\nsecret")) as parameters."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def payload(text):
    return {"msgtype": "text", "text": {"content": text[:MAX_TEXT]}}


def post(channel, text):
    url = channel.webhook_url
    if channel.kind == UnitChannel.Kind.DINGTALK and channel.secret:
        url = signed_url(url, channel.secret)
    request = urllib.request.Request(
        url, data=json.dumps(payload(text), ensure_ascii=False).encode(), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.CHANNEL_TIMEOUT_SECONDS) as response:
            body = response.read(10_000)
    except urllib.error.HTTPError as error:
        # 429 and 5xx pass; any other HTTP refusal will not.
        return Outcome(False, error.code == 429 or error.code >= 500, f"HTTP {error.code}")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        return Outcome(False, True, str(getattr(error, "reason", error))[:200] or type(error).__name__)
    try:
        answer = json.loads(body)
        errcode = int(answer.get("errcode", -1))
    except (ValueError, AttributeError, TypeError):
        return Outcome(False, True, "unreadable answer")
    if errcode == 0:
        return Outcome(True, False)
    return Outcome(False, errcode in RETRIABLE_ERRCODES, f"errcode {errcode}: {str(answer.get('errmsg', ''))[:150]}")
