"""Auth-debug middleware, same log lines as the user's project (shared/FORMATS.md).

Sits first in MIDDLEWARE, so on the way in the session and user are not loaded yet
(user=anon session=None), and on the way out request.user is whoever allauth logged in.
"""
import logging
import time

log = logging.getLogger("auth_debug")


def _user(request):
    u = getattr(request, "user", None)
    try:
        if u is not None and u.is_authenticated:
            return u.get_username()
    except Exception:  # session load itself may fail when the pool is exhausted
        pass
    return "anon"


class AuthDebugMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.endswith("/accounts/login/"):
            return self.get_response(request)
        session = getattr(request, "session", None)
        session_key = getattr(session, "session_key", None) if session is not None else None
        log.debug(
            "auth_request method=%s path=%s user=%s session=%s ip=%s csrf_cookie=%s csrf_header=%s form_csrf=%s",
            request.method,
            request.path,
            _user(request),
            session_key,
            request.META.get("REMOTE_ADDR"),
            "csrftoken" in request.COOKIES,
            "HTTP_X_CSRFTOKEN" in request.META,
            bool(request.POST.get("csrfmiddlewaretoken")) if request.method == "POST" else False,
        )
        start = time.monotonic()
        response = self.get_response(request)
        duration_ms = (time.monotonic() - start) * 1000.0
        level = logging.INFO if response.status_code >= 400 else logging.DEBUG
        log.log(
            level,
            "auth_response status=%s method=%s path=%s user=%s duration_ms=%.2f db_queries=n/a db_time_ms=n/a",
            response.status_code,
            request.method,
            request.path,
            _user(request),
            duration_ms,
        )
        if response.status_code >= 400:
            log.error("auth_failure status=%s path=%s", response.status_code, request.path)
        return response
