"""The client's address as far as it can be trusted, for the login lockout."""

from django.conf import settings


def client_address(request):
    """For a request that came through the reverse proxy (from one of TRUSTED_PROXY_ADDRESSES),
    the last X-Forwarded-For entry: the address the proxy itself saw and appended; anything before
    it was written by the client and could be anything. Any other request: the connection's own
    address, whatever headers it carries."""
    connection_address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_HTTPS_PROXY and connection_address in settings.TRUSTED_PROXY_ADDRESSES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return connection_address
