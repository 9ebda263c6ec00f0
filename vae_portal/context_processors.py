from django.conf import settings


def session(request):
    """How long a session lives without activity, for the expiry warning (static/js/session.js)."""
    return {"session_seconds": settings.SESSION_COOKIE_AGE}
