"""Signed links that confirm an e-mail address.

The token carries the user's id and the time it was signed, nothing else (no address in URLs
or logs). It is valid for ``CONFIRMATION_MAX_AGE``; it works once because confirming clears
``awaiting_email_confirmation`` and only an account awaiting confirmation can be confirmed.
"""

from datetime import timedelta

from django.core import signing

CONFIRMATION_MAX_AGE = timedelta(days=3)
_SALT = "accounts.email-confirmation"


class InvalidConfirmationToken(Exception):
    """The link was not made by us (tampered, truncated or signed with another key)."""


class ExpiredConfirmationToken(InvalidConfirmationToken):
    """The link is genuine but older than ``CONFIRMATION_MAX_AGE``."""


def make_confirmation_token(user_id: int) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(user_id))


def read_confirmation_token(token: str) -> int:
    """Return the id of the user the token was made for, or raise one of the errors above."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ExpiredConfirmationToken from exc
    except signing.BadSignature as exc:
        raise InvalidConfirmationToken from exc
    return int(value)
