"""Every change to an account's state: sign-up, e-mail confirmation, new confirmation link.

Business rules:
- An e-mail address belongs to one account whatever its case; it is stored in lower case.
- A new account is inactive and awaits confirmation until the link sent by e-mail is followed
  (valid ``tokens.CONFIRMATION_MAX_AGE``, usable once). Following a password-reset link proves
  the same thing and confirms the address too.
- An account an admin deactivated is never reactivated by a link: only accounts awaiting
  confirmation can be confirmed.
- Asking for a new link never tells whether an account exists, nor does signing up: an address
  that already has an account gets an e-mail saying someone tried to sign up with it (with the
  links to log in and to reset the password), and the page answers as for a new address.
- Every e-mail is sent by a worker once the transaction commits (``accounts.emails``).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from accounts import emails, tokens
from accounts.models import User
from core.errors import DomainError


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


def confirmation_url(user: User) -> str:
    token = tokens.make_confirmation_token(user.pk)
    return settings.SITE_URL + reverse("accounts:confirm_email", kwargs={"token": token})


def send_confirmation_email(user: User) -> None:
    """Queue the confirmation link; if it gets lost, the person can ask again."""
    context = {
        "user": user,
        "confirmation_url": confirmation_url(user),
        "valid_days": tokens.CONFIRMATION_MAX_AGE.days,
    }
    emails.queue("email_confirmation", user.email, context)


def request_sign_up(*, email: str, password: str, first_name: str, last_name: str) -> None:
    """What the sign-up page does, the same way whether or not the address has an account.

    A new address gets an inactive account and its confirmation link (``sign_up``). An address
    that has an account able to log in or to reset its password (active, or awaiting
    confirmation) gets an e-mail telling that someone tried to sign up with it; an account an
    admin deactivated, or a jury invitation not accepted yet, gets nothing. Either way the
    password is hashed once and one row is inserted (or refused), so the time taken is the same.
    """
    try:
        sign_up(email=email, password=password, first_name=first_name, last_name=last_name)
    except EmailAlreadyRegistered:
        user = (
            User.objects.filter(email__iexact=normalize_email(email))
            .filter(Q(is_active=True) | Q(awaiting_email_confirmation=True))
            .first()
        )
        if user is not None and user.has_usable_password():
            emails.queue(
                "signup_existing_account",
                user.email,
                {
                    "user": user,
                    "login_url": settings.SITE_URL + reverse("login"),
                    "reset_url": settings.SITE_URL + reverse("password_reset"),
                },
            )


def sign_up(*, email: str, password: str, first_name: str, last_name: str) -> User:
    """Create an inactive account awaiting confirmation and e-mail it its link once committed;
    ``EmailAlreadyRegistered`` if the address (in any case) has an account."""
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
    except IntegrityError as exc:  # the address has an account (the database says so, in any case)
        raise EmailAlreadyRegistered from exc
    send_confirmation_email(user)
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
