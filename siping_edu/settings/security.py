"""Security settings: HTTPS behind the proxy, CSP, the login lockout, sessions."""

import datetime

from . import DEBUG, env

# Security: production (DEBUG off) is HTTPS-only behind one reverse proxy that sets
# X-Forwarded-Proto; each default can be overridden from the environment.

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
BEHIND_HTTPS_PROXY = env.bool("BEHIND_HTTPS_PROXY", default=not DEBUG)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# X-Forwarded-For is believed only from these addresses (the reverse proxy): a client talking to
# the application directly could write anything there and so escape the login lockout.
TRUSTED_PROXY_ADDRESSES = env.list("TRUSTED_PROXY_ADDRESSES", default=["127.0.0.1", "::1"])
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading is a promise to browsers that every subdomain of the bureau's domain is HTTPS for
# good; that is the bureau's call, not this application's (README: Production).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy: everything from this server, nothing inline, no frames, no plugins.
# Charts are server-drawn SVG and htmx is a local file, so nothing else is needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login lockout (django-axes): 5 failed attempts for one username from one address lock that
# pair out for AXES_COOLOFF_MINUTES, or until an administrator unlocks it (admin: Access attempts,
# or `manage.py axes_reset_username NAME`). A successful login clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "siping_edu.client_address.client_address"
# Guessing across many accounts from one address: past this many failed logins from an address
# within AXES_COOLOFF_MINUTES, that address signs nobody in (an office behind one NAT address has
# room for everyday typos).
ADDRESS_FAILURE_LIMIT = env.int("ADDRESS_FAILURE_LIMIT", default=20)

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after login,
# whichever comes first (siping_edu.middleware.SessionTimeoutMiddleware); the cookie itself
# lasts no longer than the absolute limit.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=10)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
