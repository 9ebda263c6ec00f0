from django.conf import settings
from django.db import connection
from django.utils.functional import SimpleLazyObject

from accompaniment.models import StaffMember
from certifications.models import Certifier
from juries.models import JuryMember
from notifications.models import Notification


def session(request):
    """How long a session surely lives without activity, for the expiry warning
    (static/js/session.js): its age less the time a refresh may wait (SlidingSessionMiddleware)."""
    return {"session_seconds": max(300, settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS)}


def _spaces_sql() -> str:
    """The navigation's one query, written as SQL from the models' tables: it runs on every
    page, and the ORM took 2 ms of processor to build and compile it each time."""
    staff = Certifier.staff.through._meta
    member, organisation, notification = JuryMember._meta, StaffMember._meta, Notification._meta
    return (
        f'SELECT EXISTS (SELECT 1 FROM "{staff.db_table}" WHERE "user_id" = %(user)s),'
        f' EXISTS (SELECT 1 FROM "{member.db_table}" WHERE "user_id" = %(user)s),'
        f' EXISTS (SELECT 1 FROM "{organisation.db_table}" WHERE "user_id" = %(user)s AND "active"),'
        f' (SELECT COUNT(*) FROM "{notification.db_table}" WHERE "recipient_id" = %(user)s AND "read_at" IS NULL)'
    )


def navigation(request):
    """Which spaces the navigation offers the user (certifier, jury member, accompagnateur) and
    how many of their notifications are unread, in one query, only when a page asks."""

    def spaces() -> dict:
        user = request.user
        if not user.is_authenticated:
            return {"certifier": False, "jury": False, "accompaniment": False, "unread": 0}
        with connection.cursor() as cursor:
            cursor.execute(_spaces_sql(), {"user": user.pk})
            certifier, jury, accompaniment, unread = cursor.fetchone()
        return {
            "certifier": user.is_superuser or bool(certifier),
            "jury": bool(jury),
            "accompaniment": bool(accompaniment),
            "unread": unread,
        }

    return {"nav_spaces": SimpleLazyObject(spaces)}
