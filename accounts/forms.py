import re
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import emails, services
from accounts.models import User

_PHONE_CHARS = re.compile(r"\+?[0-9 .()-]+")


def _casefold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold()


class SignupForm(BaseUserCreationForm):
    """E-mail, names and a password checked by AUTH_PASSWORD_VALIDATORS.

    Whether the address already has an account is never said here (neither by this form nor by
    the model's uniqueness checks): ``services.request_sign_up`` e-mails that account instead.
    """

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]
        help_texts = {
            "email": _("Elle vous servira à vous connecter ; nous y enverrons un lien de confirmation."),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True

    def clean_email(self) -> str:
        return services.normalize_email(self.cleaned_data["email"])

    def _get_validation_exclusions(self):
        # The unique e-mail field and the case-insensitive constraint on it would tell.
        return super()._get_validation_exclusions() | {"email"}


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form; an account still awaiting confirmation is told so (only to whoever
    typed its password, so the hint reveals nothing to others)."""

    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect. Attention aux majuscules dans le mot de passe."),
        "inactive": _("Ce compte est désactivé."),
        "awaiting_confirmation": _(
            "Votre adresse n'est pas encore confirmée : suivez le lien que nous vous avons envoyé "
            "par e-mail, ou demandez-en un nouveau."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "email", "maxlength": 254}
        )

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if self._is_awaiting_confirmation():
                raise ValidationError(
                    self.error_messages["awaiting_confirmation"], code="awaiting_confirmation"
                ) from None
            raise

    def _is_awaiting_confirmation(self) -> bool:
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        # django-axes refused the attempt before any password check: no hint, no check either.
        if not (email and password) or getattr(self.request, "axes_locked_out", False):
            return False
        user = User.objects.filter(
            email__iexact=services.normalize_email(email), awaiting_email_confirmation=True
        ).first()
        return user is not None and user.check_password(password)

    @property
    def is_awaiting_confirmation(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "awaiting_confirmation")


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the e-mail built on SITE_URL from templates/emails/.

    Accounts awaiting confirmation get a reset link too: following it proves the address
    (see ``SetPasswordForm``). Accounts an admin deactivated get nothing.
    """

    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email):
        candidates = User.objects.filter(email__iexact=email).filter(
            Q(is_active=True) | Q(awaiting_email_confirmation=True)
        )
        # As Django does: the database's case-insensitive match is not Unicode case folding.
        return (user for user in candidates if user.has_usable_password() and _casefold(user.email) == _casefold(email))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the e-mail for a worker (``accounts.emails``) instead of sending it here."""
        reset_path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        emails.queue(
            "password_reset",
            to_email,
            {
                "user": context["user"],
                "reset_url": settings.SITE_URL + reset_path,
                "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
            },
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a new password from a reset link also confirms an address awaiting confirmation."""

    @transaction.atomic
    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit and user.awaiting_email_confirmation:
            services.activate(user.pk)
            user.refresh_from_db(fields=["is_active", "awaiting_email_confirmation"])
        return user


class ProfileForm(forms.ModelForm):
    """What the VAE process needs to know about a person; the e-mail address is not editable."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]
        help_texts = {"phone": _("Facultatif. Permet au certificateur de vous joindre.")}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        digits = re.sub(r"\D", "", phone)
        if phone and (not _PHONE_CHARS.fullmatch(phone) or not 8 <= len(digits) <= 15):
            raise ValidationError(
                _("Numéro de téléphone non valide : par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."),
                code="invalid_phone",
            )
        return phone
