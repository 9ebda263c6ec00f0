"""Sign-up, e-mail confirmation, login, logout, password reset and change, profile.

Everything here is public (``@login_not_required``) except the profile and the password change,
which LoginRequiredMiddleware protects like the rest of the site.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.forms import (
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    ResendConfirmationForm,
    SetPasswordForm,
    SignupForm,
)
from accounts.tokens import CONFIRMATION_MAX_AGE
from core import throttle
from core.http import next_path

# The address just signed up with, shown on the "check your inbox" page of the same browser.
SIGNUP_EMAIL_SESSION_KEY = "accounts_signup_email"
RESEND_DONE_MESSAGE = _(
    "Si un compte en attente de confirmation correspond à cette adresse, nous venons d'y envoyer "
    "un nouveau lien. Pensez à regarder dans vos courriers indésirables."
)


@login_not_required
def signup(request):
    """The same answer whether or not the address has an account (``services.request_sign_up``);
    every post counts against the throttle, per client address and per e-mail address typed."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        valid = form.is_valid()
        typed = form.cleaned_data.get("email") or request.POST.get("email", "").strip()
        if throttle.allow(request, form, "signup", typed) and valid:
            data = form.cleaned_data
            services.request_sign_up(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            request.session[SIGNUP_EMAIL_SESSION_KEY] = data["email"]
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@login_not_required
def signup_done(request):
    email = request.session.get(SIGNUP_EMAIL_SESSION_KEY, "")
    return render(
        request,
        "accounts/signup_done.html",
        {
            "email": email,
            "valid_days": CONFIRMATION_MAX_AGE.days,
            "resend_form": ResendConfirmationForm(initial={"email": email}),
        },
    )


@login_not_required
def confirm_email(request, token: str):
    """Follow the link from the confirmation e-mail: activate, log in, go home."""
    try:
        user = services.confirm_email(token)
    except services.ConfirmationLinkExpired:
        return _invalid_link(request, expired=True)
    except services.ConfirmationLinkInvalid:
        return _invalid_link(request, expired=False)
    except services.AlreadyConfirmed:
        messages.info(request, _("Votre adresse e-mail est déjà confirmée."))
        return redirect("home" if request.user.is_authenticated else "login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(SIGNUP_EMAIL_SESSION_KEY, None)
    messages.success(request, _("Votre adresse e-mail est confirmée. Bienvenue sur le portail VAE !"))
    return redirect("home")


def _invalid_link(request, *, expired: bool):
    return render(
        request,
        "accounts/confirmation_invalid.html",
        {"expired": expired, "valid_days": CONFIRMATION_MAX_AGE.days, "form": ResendConfirmationForm()},
        status=400,
    )


@login_not_required
def resend_confirmation(request):
    """Ask for a new confirmation link; the answer is the same whether the account exists or not."""
    form = ResendConfirmationForm(request.POST or None)
    if form.is_valid() and throttle.allow(request, form, "resend_confirmation", form.cleaned_data["email"]):
        services.resend_confirmation(form.cleaned_data["email"])
        messages.info(request, RESEND_DONE_MESSAGE)
        return redirect("login")
    return render(request, "accounts/resend_confirmation.html", {"form": form})


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def get_redirect_url(self) -> str:
        return next_path(self.request)


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Log out, by POST only as in Django 5; public so that logging out twice is harmless."""

    def get_redirect_url(self) -> str:
        return next_path(self.request)

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Déconnexion effectuée. À bientôt !"))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def form_valid(self, form):
        if not throttle.allow(self.request, form, "password_reset", form.cleaned_data["email"]):
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Votre mot de passe est modifié.")
