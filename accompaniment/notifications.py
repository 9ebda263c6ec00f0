"""The accompaniment app's e-mails, through the one door for e-mails (``core.emails``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from accompaniment.models import StaffMember
from accounts import invitations
from core import emails


def staff_added(member_id: int, invited: bool) -> None:
    """To a new colleague: the link to activate their account when invited, else their home page."""
    member = StaffMember.objects.select_related("organisation", "user").get(pk=member_id)
    url = (
        invitations.invitation_url("accompaniment:invitation", member.user)
        if invited
        else settings.SITE_URL + reverse("accompaniment:home")
    )
    emails.send("accompaniment_staff", member.user.email, {"member": member, "invited": invited, "url": url})
