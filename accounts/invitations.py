"""Invitations: an account created for someone by another person (a jury member seated by a
certifier, an accompagnateur added by their organisation), activated when its owner follows the
e-mailed link and chooses a password.

Rules:
- an invited account is inactive and has no usable password until its owner chooses one
  (``awaiting_invitation``); following the link proves the address too;
- the link is Django's password-reset token (``invitation_url``): it dies once the password is
  set, and lasts ``PASSWORD_RESET_TIMEOUT``;
- an account an admin deactivated is never reactivated by an invitation (``invite``), nor by
  the link (``AcceptInvitationView.get_user``).

Each app that invites keeps its own URL, page text and landing page (``juries``, ``accompaniment``)
by subclassing ``AcceptInvitationView``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import PasswordResetConfirmView
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError


class InvitationRefused(DomainError):
    """The address belongs to an account an admin deactivated."""


def awaiting_invitation(user) -> bool:
    """An account created by an invitation whose owner has not chosen a password yet."""
    return not user.is_active and not user.has_usable_password()


def invite(email: str, first_name: str = "", last_name: str = "", *, refusal: str = ""):
    """The account for ``email``: an existing one, or a new inactive one awaiting its invitation.
    Returns ``(user, created)``. An account an admin deactivated is refused (``refusal``, or a
    general message), never reactivated."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name.strip(), last_name=last_name.strip(), is_active=False
        )
        return user, True
    if not user.is_active and not awaiting_invitation(user) and not user.awaiting_email_confirmation:
        raise InvitationRefused(refusal or _("Ce compte est désactivé : un administrateur doit le réactiver."))
    return user, False


def invitation_url(url_name: str, user) -> str:
    """A link to choose a password and activate the account (valid PASSWORD_RESET_TIMEOUT), on
    the invitation page named ``url_name`` (which takes ``uidb64`` and ``token``)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse(url_name, args=[uid, token])


class ActivateAccountForm(SetPasswordForm):
    """Choosing a password activates an account created by an invitation; following the
    e-mailed link proves the address too."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.is_active = True
        fields = ["password", "is_active"]
        if user.awaiting_email_confirmation:
            user.awaiting_email_confirmation = False
            fields.append("awaiting_email_confirmation")
        if commit:
            user.save(update_fields=fields)
        return user


@method_decorator(login_not_required, name="dispatch")
class AcceptInvitationView(PasswordResetConfirmView):
    """The invitation link: a one-time token (Django's password-reset token, which dies once the
    password is set), then the person is logged in. Subclasses set ``template_name`` and
    ``success_url``."""

    form_class = ActivateAccountForm
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    reset_url_token = "choisir-mot-de-passe"

    def get_user(self, uidb64):
        """Only an account still awaiting its invitation: the link never reactivates an account
        an admin deactivated, nor serves as a password reset for an active one."""
        user = super().get_user(uidb64)
        return user if user is not None and awaiting_invitation(user) else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, gettext_lazy("Votre compte est activé. Bienvenue sur le portail VAE."))
        return response
