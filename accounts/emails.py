"""The accounts app's e-mails, sent through the one door for e-mails (:mod:`core.emails`: links
only, rendered now, sent by a worker once the transaction commits, retried).

Each is a template set under ``templates/emails/`` and goes to one address:

- ``email_confirmation``: the address that signs up, with its confirmation link
  (``services.send_confirmation_email``);
- ``signup_existing_account``: an account that can log in or reset its password (active, or
  awaiting confirmation), when someone signs up with its address (``services.request_sign_up``);
- ``password_reset``: such an account, with its reset link (``forms.PasswordResetForm``);
- ``account_deleted``: the address of an account its owner just deleted (``privacy.erasure``);
- ``draft_purge_notice``: the candidate of a draft about to be purged (``privacy.retention``).

The caller builds the context: it holds the link and its token.
"""

from typing import Any

from core import emails


def queue(event: str, to: str, context: dict[str, Any]) -> None:
    """Render the e-mail ``event`` for ``to`` now; a worker sends it once the transaction commits."""
    emails.send(event, to, context)
