"""Login lockout (django-axes): who a login attempt is for, and what a successful login forgets.

Rules (settings ``AXES_*``, docs/security.md):
- an attempt counts against the account typed in the login form, whatever its case or the
  spaces around it: "Nina@Example.org " and "nina@example.org" are one account;
- ``AXES_FAILURE_LIMIT`` failures on one account lock it from every address, and as many from
  one address lock that address whatever accounts it tried, for ``AXES_COOLOFF_TIME``;
- a successful login forgets the failures on that account from that address only: the person
  who just proved the password is forgiven their typos, but an attacker's failures on it from
  elsewhere stay, and an attacker who logs into their own account does not wipe the failures
  they made on other accounts (django-axes's ``AXES_RESET_ON_SUCCESS`` would: it deletes every
  attempt of the address).
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.services import normalize_email
from core.http import client_ip


def _fold(value: str) -> str:
    return normalize_email(value)


def attempted_username(request, credentials: dict | None = None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the account an attempt is for, as stored by django-axes.

    Read from the credentials given to ``authenticate()`` (and to the login signals) or, without
    them, from the posted form; both name it ``AXES_USERNAME_FORM_FIELD``.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    value = credentials.get(field) if credentials else None
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get(field)
    return _fold(value) if isinstance(value, str) and value.strip() else None


@receiver(user_logged_in, dispatch_uid="accounts.lockout.forget_own_failures")
def forget_own_failures(sender, request, user, **kwargs) -> None:
    if not settings.AXES_ENABLED or request is None:
        return
    AccessAttempt.objects.filter(username=_fold(user.get_username()), ip_address=client_ip(request)).delete()
