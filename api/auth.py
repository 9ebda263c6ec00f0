"""Bearer authentication of the API and the per-token rate limit.

The token's technical account becomes ``request.user`` for the operation: the back office's
scoping functions (``backoffice.permissions``) and the services then see the organisation's
staff, and nothing else (see ``api.tokens``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import HttpBearer

from api import tokens


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


class MissingScope(Exception):
    def __init__(self, scope: str):
        self.scope = scope


def count_request(token_id: int) -> tuple[int, int, int]:
    """Count one request of the token in the current fixed window (counters in the cache, shared
    by every process with CACHE_URL). Returns (limit, requests used, seconds until the reset)."""
    limit, period = settings.API_RATE_LIMIT
    now = int(time.time())
    key = f"api-rate:{token_id}:{now // period}"
    if cache.add(key, 1, period + 1):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, period + 1)
            used = 1
    return limit, used, period - (now % period)


class TokenAuth(HttpBearer):
    openapi_description = (
        "Jeton d'API de l'organisme certificateur (« Authorization: Bearer vae_… ») — "
        "API token of the certifier organisation."
    )

    def authenticate(self, request, token):
        api_token = tokens.authenticate(token)
        if api_token is None:
            return None
        limit, used, reset = count_request(api_token.pk)
        request.rate_limit = (limit, max(0, limit - used), reset)
        request.api_token = api_token
        request.user = api_token.user
        if used > limit:
            raise RateLimited(reset)
        return api_token


def require_scope(request, scope: str) -> None:
    if not request.api_token.has_scope(scope):
        raise MissingScope(scope)
