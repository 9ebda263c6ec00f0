"""Every change to an account's state: sign-up, e-mail confirmation, new confirmation link.

Business rules:
- An e-mail address belongs to one account whatever its case; it is stored in lower case.
- A new account is inactive and awaits confirmation until the link sent by e-mail is followed
  (valid ``tokens.CONFIRMATION_MAX_AGE``, usable once). Following a password-reset link proves
  the same thing and confirms the address too.
- An account an admin deactivated is never reactivated by a link: only accounts awaiting
  confirmation can be confirmed.
- Asking for a new link never tells whether an account exists.
"""

import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import emails, tokens
from accounts.models import User
from core.errors import DomainError

logger = logging.getLogger(__name__)


class AccountError(DomainError):
    """A refused account operation; views turn it into a French message."""


class EmailAlreadyRegistered(AccountError):
    pass


class ConfirmationLinkInvalid(AccountError):
    pass


class ConfirmationLinkExpired(ConfirmationLinkInvalid):
    pass


class AlreadyConfirmed(AccountError):
    pass


def normalize_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def email_is_registered(email: str) -> bool:
    return User.objects.filter(email__iexact=normalize_email(email)).exists()


def confirmation_url(user: User) -> str:
    token = tokens.make_confirmation_token(user.pk)
    return settings.SITE_URL + reverse("accounts:confirm_email", kwargs={"token": token})


def send_confirmation_email(user: User) -> None:
    """Send the confirmation link; a delivery failure is logged, the person can ask again."""
    context = {
        "user": user,
        "confirmation_url": confirmation_url(user),
        "valid_days": tokens.CONFIRMATION_MAX_AGE.days,
    }
    try:
        emails.send("email_confirmation", user.email, context)
    except Exception:
        logger.exception("Could not send the confirmation e-mail to user %s", user.pk)


def sign_up(*, email: str, password: str, first_name: str, last_name: str) -> User:
    """Create an inactive account awaiting confirmation and e-mail it its link once committed."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=normalize_email(email),
                password=password,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                is_active=False,
                awaiting_email_confirmation=True,
            )
    except IntegrityError as exc:  # the same address signed up a moment ago
        raise EmailAlreadyRegistered from exc
    transaction.on_commit(partial(send_confirmation_email, user))
    return user


@transaction.atomic
def activate(user_id: int) -> User:
    """Confirm the address of an account awaiting confirmation and make it active."""
    user = User.objects.select_for_update().get(pk=user_id)
    if not user.awaiting_email_confirmation:
        raise AlreadyConfirmed
    user.is_active = True
    user.awaiting_email_confirmation = False
    user.save(update_fields=["is_active", "awaiting_email_confirmation"])
    return user


def confirm_email(token: str) -> User:
    """Activate the account a confirmation link was made for and return it."""
    try:
        user_id = tokens.read_confirmation_token(token)
    except tokens.ExpiredConfirmationToken as exc:
        raise ConfirmationLinkExpired from exc
    except tokens.InvalidConfirmationToken as exc:
        raise ConfirmationLinkInvalid from exc
    try:
        return activate(user_id)
    except User.DoesNotExist as exc:  # account deleted since the link was sent
        raise ConfirmationLinkInvalid from exc


def resend_confirmation(email: str) -> None:
    """Send a new link if an account awaiting confirmation has this address; silent otherwise."""
    user = User.objects.filter(email__iexact=normalize_email(email), awaiting_email_confirmation=True).first()
    if user is not None:
        send_confirmation_email(user)
