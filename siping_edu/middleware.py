import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware:
    """Simplified Chinese unless the user picked another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which shows English
    to a bureau PC with an English browser; the portal's language is the bureau's choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionTimeoutMiddleware:
    """Ends a login after SESSION_IDLE_MINUTES without a request or SESSION_MAX_HOURS in all.

    Django's own expiry is one fixed age; an office PC left open needs both limits. The last-seen
    time is written at most once a minute, so reading pages does not write the session each time.
    """

    STARTED = "_session_started_at"
    SEEN = "_session_seen_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(self.STARTED)
            seen = request.session.get(self.SEEN, started)
            if started is None:
                request.session[self.STARTED] = request.session[self.SEEN] = now
            elif now - seen > settings.SESSION_IDLE_MINUTES * 60 or now - started > settings.SESSION_MAX_HOURS * 3600:
                return self._end(request)
            elif now - seen >= 60:
                request.session[self.SEEN] = now
        return self.get_response(request)

    def _end(self, request):
        logout(request)
        messages.info(request, _("Your session has ended. Please log in again."))
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        return redirect_to_login(request.get_full_path())


class PrivatePagesMiddleware:
    """Pages and files shown to a signed-in person are not kept by browsers or proxies: office
    PCs are shared, and the back button after logging out must not show the last person's work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
        return response



class PasswordChangeRequiredMiddleware:
    """An account with a one-time password (new, or reset by an administrator) or an expired one
    may open nothing but the password page, logging out and the language switch until it chooses
    its own (departments.login_policy sets the flag at login)."""

    ALLOWED = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from departments.login_policy import MUST_CHANGE_PASSWORD

        if request.session.get(MUST_CHANGE_PASSWORD) and request.user.is_authenticated:
            from django.shortcuts import redirect
            from django.urls import Resolver404, resolve

            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in self.ALLOWED:
                return redirect("password_change")
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """A database that stays locked past its timeout (SQLite under a burst of writes) or drops the
    connection answers a Chinese 503 page asking to retry (siping_edu/errors.py), never a 500 with
    a traceback. What the request tried to write was rolled back with its transaction. (Failures
    outside a view, say while a middleware reads the session, reach the same page through
    handler500.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .errors import database_unavailable, unavailable_response

        if database_unavailable(exception):
            return unavailable_response(request)
        return None
