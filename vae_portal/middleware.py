import logging
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

logger = logging.getLogger("vae_portal.access")


class AccessLogMiddleware:
    """Logs every refused access (403, and 404 for a logged-in user, which is how pages outside
    one's scope answer) with who asked for what, so that probing shows up in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403 or (response.status_code == 404 and user and user.is_authenticated):
            logger.warning(
                "access refused: status=%s user=%s method=%s path=%s",
                response.status_code,
                user.pk if user and user.is_authenticated else "anonymous",
                request.method,
                request.path,
            )
        return response


class PermissionsPolicyMiddleware:
    """Sends a Permissions-Policy denying every feature of ``settings.PERMISSIONS_POLICY`` on
    every response; placed before WhiteNoise so that static files carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class SlidingSessionMiddleware:
    """A signed-in person's session lives ``SESSION_COOKIE_AGE`` after their last request (an
    autosave included), written at most once every ``SESSION_REFRESH_SECONDS``: the expiry may
    lag by that much (the page's warning counts it, ``context_processors.session``), and a
    burst of autosaves does not write the session each time. Placed after SessionMiddleware, so
    that its answer is seen first; a session this request never read is left alone (no query)."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.get(SESSION_KEY) is None:
            return response
        now = int(time.time())
        if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # saved, with a new expiry and cookie, by SessionMiddleware
        return response
