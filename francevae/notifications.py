"""The e-mail inviting a candidate whose dossier came from France VAE to continue on the portal."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import emails


def invite_candidate(user, dossier, connection) -> None:
    """A link to choose a password (the account was created without one), then the dossier."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    emails.send(
        "francevae_invitation",
        user.email,
        {"candidate": user, "organisation": connection.organisation, "dossier": dossier, "path": path},
    )
