"""Pages of the jury app: the invitation link (``invitation``), and the jury members' own pages
— sessions, conflict declarations, reading dossiers, scoring, deliberation, procès-verbal."""

from juries.views.invitation import AcceptInvitationView, ActivateAccountForm

__all__ = ["AcceptInvitationView", "ActivateAccountForm"]
