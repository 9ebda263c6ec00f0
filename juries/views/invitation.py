"""The invitation link: an invited jury member chooses a password, which activates the account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from juries.models import awaiting_invitation


class ActivateAccountForm(SetPasswordForm):
    """Choosing a password activates an account created by a jury invitation; following the
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
    password is set), then the person is logged in."""

    form_class = ActivateAccountForm
    template_name = "juries/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    reset_url_token = "choisir-mot-de-passe"
    success_url = reverse_lazy("jury:sessions")

    def get_user(self, uidb64):
        """Only an account still awaiting its invitation: the link never reactivates an account
        an admin deactivated, nor serves as a password reset for an active one."""
        user = super().get_user(uidb64)
        return user if user is not None and awaiting_invitation(user) else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Votre compte est activé. Bienvenue sur le portail VAE."))
        return response
