from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from accompaniment.models import StaffMember
from accounts.models import User
from certifications.models import Certifier
from juries.models import JuryMember


def session(request):
    """How long a session lives without activity, for the expiry warning (static/js/session.js)."""
    return {"session_seconds": settings.SESSION_COOKIE_AGE}


def navigation(request):
    """Which spaces the navigation offers the user (certifier, jury member, accompagnateur), in
    one query, only when a page asks."""

    def spaces() -> dict:
        user = request.user
        if not user.is_authenticated:
            return {"certifier": False, "jury": False, "accompaniment": False}

        certifier, jury, accompaniment = (
            User.objects.filter(pk=user.pk)
            .annotate(
                certifier=Exists(Certifier.staff.through.objects.filter(user_id=OuterRef("pk"))),
                jury=Exists(JuryMember.objects.filter(user_id=OuterRef("pk"))),
                accompaniment=Exists(StaffMember.objects.filter(user_id=OuterRef("pk"), active=True)),
            )
            .values_list("certifier", "jury", "accompaniment")
            .get()
        )
        return {"certifier": user.is_superuser or certifier, "jury": jury, "accompaniment": accompaniment}

    return {"nav_spaces": SimpleLazyObject(spaces)}
