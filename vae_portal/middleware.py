import logging

from django.conf import settings

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
