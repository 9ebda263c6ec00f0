"""Throttling, with fixed window counters kept in the cache (shared by every process with
CACHE_URL; see docs/security.md):

- public forms that send e-mail or create accounts (sign-up, password reset, confirmation link):
  per client address, and per target address where there is one (``THROTTLE_RATES``); over the
  limit, the form gets a French error and keeps what was typed;
- costly or frequent requests of a logged-in person (autosave, the personal data archive): per
  user (``USER_THROTTLE_RATES``); over the limit, the view answers 429 with a French message.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from core.http import client_ip

THROTTLED = _(
    "Trop de demandes ont été faites depuis votre connexion ou pour cette adresse. Patientez quelques minutes "
    "puis réessayez : ce que vous avez saisi est conservé."
)


def _hit(scope: str, key: str, limit: int, period: int) -> bool:
    """Count one attempt; False once more than ``limit`` were made within ``period`` seconds."""
    cache_key = f"throttle:{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    if cache.add(cache_key, 1, period):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, period)
        return True


def allow(request, form, scope: str, address: str = "") -> bool:
    """Record one attempt of ``scope``; on refusal add the error to ``form`` and return False."""
    per_ip, per_address, period = settings.THROTTLE_RATES[scope]
    allowed = _hit(scope, f"ip:{client_ip(request)}", per_ip, period)
    if address:
        allowed = _hit(scope, f"to:{address.lower()}", per_address, period) and allowed
    if not allowed:
        form.add_error(None, THROTTLED)
    return allowed


def allow_user(user, scope: str) -> bool:
    """Record one request of ``scope`` by ``user``; False once over ``USER_THROTTLE_RATES[scope]``."""
    limit, period = settings.USER_THROTTLE_RATES[scope]
    return _hit(scope, f"user:{user.pk}", limit, period)


def retry_after(scope: str) -> str:
    """The ``Retry-After`` header of a refusal: at most the length of the window, in seconds."""
    return str(settings.USER_THROTTLE_RATES[scope][1])
