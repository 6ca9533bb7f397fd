"""The client's address as far as it can be trusted, for the login lockout."""

from django.conf import settings


def client_address(request):
    """Behind the one reverse proxy, the last X-Forwarded-For entry: the address the proxy itself
    saw and appended. Anything before it was written by the client and could be anything. Without
    a proxy only the connection's own address counts."""
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
