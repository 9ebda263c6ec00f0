"""Whether a badge holds, computed at each request from what any verifier would read: the
VC-JWT's signature against the issuer's DID document, then the bit of the issuer's signed
status list. Nothing here reads ``Badge.revoked_at``: that column only feeds the status list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from credentials import keys, openbadges, services

VERIFIED, REVOKED, INVALID = "verified", "revoked", "invalid"


def status_list_token(organisation) -> str:
    """The signed status list credential, as ``/badges/issuers/<pk>/status/revocation`` serves it."""
    credential = openbadges.status_list_credential(organisation, services.revoked_indexes(organisation.pk))
    return openbadges.sign(credential, organisation.pk)


def _public_key(organisation_id: int, kid: str) -> dict:
    """The key of ``kid`` in the issuer's DID document (the one ``did.json`` serves)."""
    document = keys.did_document(organisation_id)
    for method in document["verificationMethod"]:
        if method["id"] == kid:
            return method["publicKeyJwk"]
    raise openbadges.InvalidToken("unknown kid")


@dataclass
class Verification:
    state: str
    credential: dict = field(default_factory=dict)
    reason: str = ""

    @property
    def achievement(self) -> dict:
        return self.credential.get("credentialSubject", {}).get("achievement", {})

    @property
    def issuer(self) -> dict:
        return self.credential.get("issuer", {})

    @property
    def valid_from(self) -> dt.datetime | None:
        value = self.credential.get("validFrom")
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def verify_token(token: str, organisation) -> Verification:
    did = keys.did(organisation.pk)
    kid = keys.kid(organisation.pk)
    try:
        credential = openbadges.verified_payload(token, _public_key(organisation.pk, kid), kid)
        if credential.get("issuer", {}).get("id") != did:
            raise openbadges.InvalidToken("issuer")
        status = credential["credentialStatus"]
        list_url = openbadges.url("credentials:status_list", organisation.pk)
        if status.get("statusListCredential") != list_url or status.get("statusPurpose") != "revocation":
            raise openbadges.InvalidToken("credentialStatus")
        status_list = openbadges.verified_payload(
            status_list_token(organisation), _public_key(organisation.pk, kid), kid
        )
        if status_list.get("issuer") != did:
            raise openbadges.InvalidToken("status list issuer")
        revoked = openbadges.bit_is_set(status_list["credentialSubject"]["encodedList"], int(status["statusListIndex"]))
    except (openbadges.InvalidToken, KeyError, TypeError, ValueError) as exc:
        return Verification(INVALID, reason=str(exc))
    return Verification(REVOKED if revoked else VERIFIED, credential)


def verify(badge) -> Verification:
    return verify_token(badge.token, badge.organisation)
