"""The France VAE access token of a connection, encrypted at rest (Fernet, AES-128-CBC + HMAC).

The key comes from ``settings.FRANCE_VAE_SECRET_KEY`` (a Fernet key, kept outside the database);
a database dump alone never reveals a token. Changing the key makes stored tokens unreadable:
``decrypt`` then raises ``SecretUnreadable`` and the connection page asks for the token again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    pass


def _fernet() -> Fernet:
    key = settings.FRANCE_VAE_SECRET_KEY
    if not key:  # development: derived from SECRET_KEY, so that nothing has to be set up
        key = base64.urlsafe_b64encode(hashlib.sha256(b"francevae:" + settings.SECRET_KEY.encode()).digest())
    return Fernet(key)


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable from exc
