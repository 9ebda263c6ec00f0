"""The invitation link: an invited jury member chooses a password, which activates the account
(the mechanism is ``accounts.invitations``, shared with the accompaniment organisations)."""

from django.urls import reverse_lazy

from accounts.invitations import AcceptInvitationView as BaseAcceptInvitationView
from accounts.invitations import ActivateAccountForm

__all__ = ["AcceptInvitationView", "ActivateAccountForm"]


class AcceptInvitationView(BaseAcceptInvitationView):
    template_name = "juries/invitation.html"
    success_url = reverse_lazy("jury:sessions")
