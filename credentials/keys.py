"""Each certifier's signing key (Ed25519) and how the world finds its public half.

Rules:
- the private key never enters the database: one PEM file per organisation under
  ``settings.BADGE_KEYS_DIR`` (``organisation-<pk>.pem``, mode 0600), created on first use with
  ``O_EXCL`` so two workers never write two keys; back this folder up with the database: a lost
  key leaves issued badges verifiable only as long as their DID document is served from a copy;
- the issuer is published as ``did:web`` per organisation under a path of the portal:
  ``did:web:<host>:badges:issuers:<pk>`` resolves to ``<SITE_URL>/badges/issuers/<pk>/did.json``;
- ``kid`` is the DID URL of the key: ``<did>#<JWK thumbprint>`` (RFC 7638), so a new key file
  gives a new ``kid``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from joserfc.jwk import OKPKey

ALG = "EdDSA"  # what OB 3.0 verifiers read today for Ed25519 (RFC 9864's "Ed25519" is too new for them)


def _path(organisation_id: int) -> Path:
    return Path(settings.BADGE_KEYS_DIR) / f"organisation-{organisation_id}.pem"


def private_key(organisation_id: int) -> OKPKey:
    """The organisation's key, generated on first use."""
    path = _path(organisation_id)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = OKPKey.generate_key("Ed25519")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process wrote it first: read theirs
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(key.as_pem(private=True))
    return OKPKey.import_key(path.read_bytes())


def public_jwk(organisation_id: int) -> dict:
    return private_key(organisation_id).as_dict(private=False)


def did(organisation_id: int) -> str:
    host = quote(urlsplit(settings.SITE_URL).netloc, safe="")  # a port's ":" is written %3A
    return f"did:web:{host}:badges:issuers:{organisation_id}"


def kid(organisation_id: int) -> str:
    return f"{did(organisation_id)}#{private_key(organisation_id).thumbprint()}"


def did_document(organisation_id: int) -> dict:
    """The DID document served at ``/badges/issuers/<pk>/did.json``."""
    identifier, key_id = did(organisation_id), kid(organisation_id)
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
        "id": identifier,
        "verificationMethod": [
            {
                "id": key_id,
                "type": "JsonWebKey2020",
                "controller": identifier,
                "publicKeyJwk": public_jwk(organisation_id),
            }
        ],
        "assertionMethod": [key_id],
    }
