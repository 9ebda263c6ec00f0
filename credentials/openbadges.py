"""The JSON of Open Badges 3.0 (a profile of W3C Verifiable Credentials 2.0), and its VC-JWT.

- ``@context``: VC 2.0 then OB 3.0.3; both served from local copies under ``/badges/contexts/``
  (``CONTEXTS``): nothing is ever fetched at run time. A VC-JWT needs no JSON-LD processing.
- VC-JWT as VC-JOSE-COSE defines it for VC 2.0: the credential's members at the payload's top
  level, JOSE header ``alg`` EdDSA, ``kid`` (the issuer's DID URL), ``typ`` ``vc+jwt``.
- The holder is identified by ``sha256$hex(email + salt)``, a fresh salt per badge (OB 3.0
  ``IdentityObject``): whoever knows the e-mail can check it, nobody can read it.
- Revocation: a ``BitstringStatusListEntry`` pointing to the certifier's list, itself a signed
  ``BitstringStatusListCredential`` (index 0 is the first byte's most significant bit).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import re
import warnings
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import OKPKey

from credentials import keys

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
_HERE = Path(__file__).resolve().parent
# Context URL → (served name, local file). The URLs stay the canonical ones: they are identifiers.
CONTEXTS = {
    VC_CONTEXT: ("credentials-v2.jsonld", _HERE / "contexts" / "credentials-v2.jsonld"),
    OB_CONTEXT: ("ob-v3p0-3.0.3.json", _HERE / "contexts" / "ob-v3p0-3.0.3.json"),
}
RNCP_FRAMEWORK = "Répertoire national des certifications professionnelles (RNCP)"
RS_FRAMEWORK = "Répertoire spécifique (RS)"


def url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _iso(value) -> str:
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def register_url(code: str) -> str:
    """The fiche of a RNCP or RS code (``RNCP35203``, ``RNCP35203BC01``, ``RS5000``) at France
    compétences; a bloc points to its certification's fiche."""
    match = re.match(r"^(RNCP|RS)(\d+)", code or "", re.IGNORECASE)
    if not match:
        return "https://www.francecompetences.fr/recherche/"
    return f"https://www.francecompetences.fr/recherche/{match[1].lower()}/{match[2]}/"


def issuer_profile(organisation) -> dict:
    profile = {"id": keys.did(organisation.pk), "type": ["Profile"], "name": str(organisation)}
    if organisation.website:
        profile["url"] = organisation.website
    return profile


def achievement(certification, block=None) -> dict:
    """One Achievement per bloc (``humanCode`` the RNCP bloc code), one for the certification."""
    cert_code = certification.code or ""
    framework = RS_FRAMEWORK if cert_code.upper().startswith("RS") else RNCP_FRAMEWORK
    if block is not None:
        code = block.code or f"{cert_code}BC{block.order:02d}"
        result = {
            "id": url("credentials:block_achievement", block.pk),
            "type": ["Achievement"],
            "achievementType": "Competency",
            "name": f"{block.title} ({cert_code})" if cert_code else block.title,
            "description": block.description
            or f"Bloc de compétences « {block.title} » de la certification « {certification.title} ».",
            "criteria": {
                "narrative": "Bloc validé par un jury de validation des acquis de l'expérience (VAE), "
                "procès-verbal signé par tous ses membres présents."
            },
            "humanCode": code,
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": block.title,
                    "targetCode": code,
                    "targetFramework": framework,
                    "targetType": "ceasn:Competency",
                    "targetUrl": register_url(cert_code),
                }
            ],
        }
    else:
        result = {
            "id": url("credentials:certification_achievement", certification.pk),
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": certification.title,
            "description": f"Certification « {certification.title} » obtenue en totalité.",
            "criteria": {
                "narrative": "Tous les blocs de compétences validés par un jury de validation des acquis de "
                "l'expérience (VAE), procès-verbal signé par tous ses membres présents."
            },
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": certification.title,
                    "targetFramework": framework,
                    "targetType": "ceterms:Credential",
                    "targetUrl": register_url(cert_code),
                }
            ],
        }
        if cert_code:
            result["humanCode"] = cert_code
            result["alignment"][0]["targetCode"] = cert_code
    return result


def identity(email: str, salt: str) -> dict:
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def credential(badge, *, email: str, salt: str, jury_date, decided_at) -> dict:
    """The OpenBadgeCredential of ``badge`` (not signed)."""
    decision = badge.decision
    certification = decision.dossier.certification
    ach = achievement(certification, badge.block)
    status_url = url("credentials:status_list", badge.organisation_id)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": url("credentials:verify", badge.uuid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": ach["name"],
        "issuer": issuer_profile(badge.organisation),
        "validFrom": _iso(jury_date),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [identity(email, salt)],
            "achievement": ach,
        },
        "evidence": [
            {
                "id": url("credentials:verify", badge.uuid) + "#decision",
                "type": ["Evidence"],
                "name": f"Décision du jury de VAE n° {decision.pk}",
                "description": f"Décision du jury du {timezone.localdate(jury_date):%d/%m/%Y}, rendue le "
                f"{timezone.localdate(decided_at):%d/%m/%Y}, procès-verbal définitif.",
            }
        ],
        "credentialStatus": {
            "id": f"{status_url}#{badge.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(badge.status_index),
            "statusListCredential": status_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


# --- signing -------------------------------------------------------------------------------


def sign(payload: dict, organisation_id: int) -> str:
    """A compact JWS of ``payload`` with the organisation's key."""
    header = {"alg": keys.ALG, "kid": keys.kid(organisation_id), "typ": "vc+jwt"}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc flags "EdDSA" as superseded by RFC 9864: see keys.ALG
        return jws.serialize_compact(header, body, keys.private_key(organisation_id), algorithms=[keys.ALG])


class InvalidToken(Exception):
    pass


def verified_payload(token: str, public_jwk: dict, expected_kid: str) -> dict:
    """The payload of ``token`` if it is signed by ``public_jwk`` under ``expected_kid``."""
    key = OKPKey.import_key(public_jwk)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            obj = jws.deserialize_compact(token.strip(), key, algorithms=[keys.ALG])
        if obj.headers().get("kid") != expected_kid:
            raise InvalidToken("kid")
        return json.loads(obj.payload)
    except InvalidToken:
        raise
    except Exception as exc:  # joserfc raises several kinds; all mean "not this issuer's"
        raise InvalidToken(str(exc)) from exc


def unverified_payload(token: str) -> dict:
    """The credential as issued, for its holder's JSON file (the .jwt is what proves it)."""
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


# --- revocation list -----------------------------------------------------------------------


def encode_bits(indexes, size: int) -> str:
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def bit_is_set(encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise InvalidToken("encodedList")
    raw = encoded[1:]
    data = gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    if index // 8 >= len(data):
        raise InvalidToken("statusListIndex")
    return bool(data[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(organisation, revoked_indexes) -> dict:
    status_url = url("credentials:status_list", organisation.pk)
    return {
        "@context": [VC_CONTEXT],
        "id": status_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keys.did(organisation.pk),
        "validFrom": _iso(timezone.now()),
        "credentialSubject": {
            "id": f"{status_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked_indexes, settings.BADGE_STATUS_LIST_SIZE),
        },
    }
