"""Creating, revoking and checking API tokens.

Rules:
- a token is ``vae_<prefix>_<secret>``: the prefix (shown on the page, to tell tokens apart) and
  a 256-bit random secret; only the SHA-256 of the whole token is stored, and the token is shown
  once, when it is created;
- each token acts through its own technical account, created with it: a staff member of the
  token's organisation only (so the back office's scoping functions give it exactly what the
  organisation's staff see), named « API – <organisme> – <nom du jeton> » (so the audit trail and
  the timelines say which system acted), with an unusable password and inactive (it never logs
  in to the pages, and no password reset reaches it);
- a revoked token stops at once; its account stays (the audit trail points to it), still inactive;
- scopes among ``Scope``; at least one.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, Scope
from audit.services import record
from certifications.models import Certifier
from core.errors import DomainError

TOKEN_PREFIX = "vae_"
# last_used_at is written at most this often per token: not one write per request.
LAST_USED_PRECISION_SECONDS = 60


class TokenError(DomainError):
    """A refused action on a token."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def parse_scopes(value: str | list[str]) -> list[str]:
    """``"lecture,decisions"`` or a list → the valid scopes, in the declared order."""
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = {s.strip() for s in items if s.strip()}
    unknown = wanted - set(Scope.values)
    if unknown:
        raise TokenError(
            _("Droit inconnu : %(unknown)s. Droits possibles : %(known)s.")
            % {"unknown": ", ".join(sorted(unknown)), "known": ", ".join(Scope.values)}
        )
    if not wanted:
        raise TokenError(_("Choisissez au moins un droit."))
    return [s for s in Scope.values if s in wanted]


@transaction.atomic
def create_token(organisation: Certifier, name: str, scopes, created_by=None) -> NewToken:
    name = name.strip()
    if not name:
        raise TokenError(_("Donnez un nom au jeton : le système qui l'utilisera."))
    scopes = parse_scopes(scopes)
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    user = get_user_model().objects.create_user(
        email=f"api-{uuid.uuid4().hex}@api.invalid",
        password=None,  # unusable
        first_name=f"API – {organisation} – {name}"[:150],
        is_active=False,
    )
    organisation.staff.add(user)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name[:100],
        scopes=scopes,
        prefix=prefix,
        key_sha256=hash_token(raw),
        user=user,
        created_by=created_by,
    )
    record(
        "api.token_created",
        actor=created_by,
        target=token,
        changes={"scopes": [None, scopes], "name": [None, token.name]},
    )
    return NewToken(token, raw)


@transaction.atomic
def revoke_token(token: ApiToken, actor=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise TokenError(_("Ce jeton est déjà révoqué."))
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record("api.token_revoked", actor=actor, target=token)
    return token


def authenticate(raw: str) -> ApiToken | None:
    """The live token whose secret is ``raw``, or None. Notes when it was last used."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.live().select_related("user", "organisation").filter(key_sha256=hash_token(raw)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def peek(raw: str) -> ApiToken | None:
    """The live token whose secret is ``raw``, without noting its use (the operation will)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return ApiToken.objects.live().filter(key_sha256=hash_token(raw)).first()
