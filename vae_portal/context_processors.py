from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from accompaniment.models import StaffMember
from accounts.models import User
from certifications.models import Certifier
from core.subqueries import count_of
from juries.models import JuryMember
from notifications.models import Notification


def session(request):
    """How long a session surely lives without activity, for the expiry warning
    (static/js/session.js): its age less the time a refresh may wait (SlidingSessionMiddleware)."""
    return {"session_seconds": max(300, settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS)}


def navigation(request):
    """Which spaces the navigation offers the user (certifier, jury member, accompagnateur) and
    how many of their notifications are unread, in one query, only when a page asks."""

    def spaces() -> dict:
        user = request.user
        if not user.is_authenticated:
            return {"certifier": False, "jury": False, "accompaniment": False, "unread": 0}

        unread = Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        certifier, jury, accompaniment, unread_count = (
            User.objects.filter(pk=user.pk)
            .annotate(
                certifier=Exists(Certifier.staff.through.objects.filter(user_id=OuterRef("pk"))),
                jury=Exists(JuryMember.objects.filter(user_id=OuterRef("pk"))),
                accompaniment=Exists(StaffMember.objects.filter(user_id=OuterRef("pk"), active=True)),
                unread=count_of(unread, "recipient"),
            )
            .values_list("certifier", "jury", "accompaniment", "unread")
            .get()
        )
        return {
            "certifier": user.is_superuser or certifier,
            "jury": jury,
            "accompaniment": accompaniment,
            "unread": unread_count,
        }

    return {"nav_spaces": SimpleLazyObject(spaces)}
