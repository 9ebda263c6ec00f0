"""Open Badges 3.0: issued with the final procès-verbal, checked against 1EdTech's schema, signed
so that another library verifies them, revoked with the decision, refused when tampered with."""

import base64
import gzip
import hashlib
import json
import stat
from pathlib import Path

import jsonschema_rs
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.urls import reverse

from credentials import keys, services, verification
from credentials.models import Badge
from juries import services as jury_services
from tests.credentials.conftest import award

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "credentials/schemas/ob_v3p0_achievementcredential_schema.json").read_text()
)


def b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parts(token: str):
    header, payload, signature = token.split(".")
    return json.loads(b64(header)), json.loads(b64(payload)), b64(signature), f"{header}.{payload}".encode()


def verify_with_cryptography(token: str, jwk: dict) -> dict:
    """Checks the JWS with ``cryptography`` alone (the portal signs with joserfc)."""
    header, payload, signature, signing_input = parts(token)
    assert header["alg"] == "EdDSA" and jwk["crv"] == "Ed25519"
    Ed25519PublicKey.from_public_bytes(b64(jwk["x"])).verify(signature, signing_input)
    return payload


def did_jwk(client, badge) -> tuple[str, dict]:
    document = client.get(reverse("credentials:did_document", args=[badge.organisation_id])).json()
    method = document["verificationMethod"][0]
    return method["id"], method["publicKeyJwk"]


def test_final_minutes_issue_one_badge_per_validated_bloc_and_one_for_the_certification(awarded):
    badges = list(Badge.objects.filter(decision=awarded.decision))
    assert sorted(b.block.code if b.block else "certification" for b in badges) == sorted(
        [*awarded.certification.blocks.values_list("code", flat=True), "certification"]
    )
    assert {b.candidate for b in badges} == {awarded.candidate}
    assert {b.organisation for b in badges} == {awarded.certification.certifiers.get()}


def test_no_badge_before_the_minutes_are_final(db, django_capture_on_commit_callbacks):
    pending = award(django_capture_on_commit_callbacks, final=False)
    assert not Badge.objects.filter(decision=pending.decision).exists()
    assert services.issue_for_decision(pending.decision.pk) == []


def test_a_bloc_not_validated_gives_no_badge_and_no_certification_badge(db, django_capture_on_commit_callbacks):
    partial = award(django_capture_on_commit_callbacks, validated="first bloc only")
    badges = list(Badge.objects.filter(decision=partial.decision))
    assert len(badges) == 1 and badges[0].block.order == 1


def test_issuing_again_gives_nothing_twice(awarded):
    before = Badge.objects.count()
    assert services.issue_for_session(awarded.session.pk) == []
    assert Badge.objects.count() == before


def test_each_credential_matches_the_1edtech_open_badges_3_schema(awarded):
    validator = jsonschema_rs.Draft201909Validator(SCHEMA, validate_formats=True)
    for badge in Badge.objects.filter(decision=awarded.decision):
        _header, credential, _sig, _input = parts(badge.token)
        errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(credential)]
        assert errors == []


def test_the_credential_says_what_open_badges_3_asks(awarded):
    badge = Badge.objects.filter(decision=awarded.decision, block__order=1).get()
    header, vc, _sig, _input = parts(badge.token)
    assert vc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"]["id"] == keys.did(badge.organisation_id) and vc["issuer"]["id"].startswith("did:web:")
    assert header["kid"].startswith(vc["issuer"]["id"] + "#") and header["typ"] == "vc+jwt"
    assert vc["validFrom"].startswith(awarded.session.starts_at.astimezone().date().isoformat()[:4])
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["humanCode"] == badge.block.code
    assert achievement["alignment"][0]["targetCode"] == badge.block.code
    assert "francecompetences.fr/recherche/rncp/" in achievement["alignment"][0]["targetUrl"]
    identity = vc["credentialSubject"]["identifier"][0]
    expected = hashlib.sha256((awarded.candidate.email.lower() + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}" and identity["hashed"] is True
    assert awarded.candidate.email not in badge.token and awarded.candidate.last_name not in json.dumps(vc)
    assert str(awarded.decision.pk) in vc["evidence"][0]["name"]
    assert vc["credentialStatus"]["statusListIndex"] == str(badge.status_index)


def test_the_signature_verifies_with_another_library_through_the_did_document(awarded, client):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    kid, jwk = did_jwk(client, badge)
    assert parts(badge.token)[0]["kid"] == kid
    assert verify_with_cryptography(badge.token, jwk)["id"].endswith(f"/badges/{badge.uuid}/")
    assert verification.verify(badge).state == verification.VERIFIED


@pytest.mark.parametrize("where", ["header", "payload", "signature"])
def test_one_changed_byte_fails_the_verification(awarded, client, where):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    _kid, jwk = did_jwk(client, badge)
    token = badge.token
    start = {"header": 5, "payload": len(token.split(".")[0]) + 20, "signature": len(token) - 10}[where]
    tampered = token[:start] + ("A" if token[start] != "A" else "B") + token[start + 1 :]
    with pytest.raises((InvalidSignature, ValueError)):
        verify_with_cryptography(tampered, jwk)
    assert verification.verify_token(tampered, badge.organisation).state == verification.INVALID


def test_a_badge_signed_by_another_key_is_not_verified(awarded, tmp_path, settings):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    settings.BADGE_KEYS_DIR = tmp_path / "a-new-key"
    assert verification.verify(badge).state == verification.INVALID


def test_the_private_key_is_a_file_outside_the_database_readable_by_its_owner_only(awarded):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    path = Path(settings.BADGE_KEYS_DIR) / f"organisation-{badge.organisation_id}.pem"
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def status_bit(client, badge) -> bool:
    _kid, jwk = did_jwk(client, badge)
    response = client.get(reverse("credentials:status_list", args=[badge.organisation_id]))
    assert response["Content-Type"] == "application/vc+jwt"
    status = verify_with_cryptography(response.content.decode(), jwk)
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = status["credentialSubject"]["encodedList"]
    bits = gzip.decompress(b64(encoded[1:]))
    assert len(bits) * 8 == 131072
    return bool(bits[badge.status_index // 8] & (0x80 >> (badge.status_index % 8)))


def test_revoking_the_decision_flips_the_bits_of_its_badges(awarded, client):
    badges = list(Badge.objects.filter(decision=awarded.decision))
    assert not any(status_bit(client, b) for b in badges)
    jury_services.revoke_decision(awarded.decision, awarded.certifier, "Fraude avérée sur les preuves.")
    assert all(status_bit(client, b) for b in badges)
    for badge in badges:
        badge.refresh_from_db()
        assert verification.verify(badge).state == verification.REVOKED
        page = client.get(reverse("credentials:verify", args=[badge.uuid]))
        assert "Révoqué" in page.content.decode()


def test_the_verification_page_checks_at_each_request_not_from_the_database(awarded, client):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    Badge.objects.filter(pk=badge.pk).update(
        token=badge.token[:-4] + ("AAAA" if badge.token[-4:] != "AAAA" else "BBBB")
    )
    body = client.get(reverse("credentials:verify", args=[badge.uuid])).content.decode()
    assert "Non vérifiable" in body and "Vérifié" not in body


def test_the_candidates_dossier_page_offers_each_badge(awarded, client):
    client.force_login(awarded.candidate)
    body = client.get(reverse("dossiers:detail", args=[awarded.convocation.dossier.pk])).content.decode()
    for badge in Badge.objects.filter(decision=awarded.decision):
        assert reverse("credentials:download_jwt", args=[badge.uuid]) in body
        assert reverse("credentials:download_json", args=[badge.uuid]) in body
        assert reverse("credentials:verify", args=[badge.uuid]) in body


def test_the_files_are_the_signed_badge_and_its_json(awarded, client):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    client.force_login(awarded.candidate)
    jwt = client.get(reverse("credentials:download_jwt", args=[badge.uuid]))
    assert jwt.content.decode() == badge.token and ".jwt" in jwt["Content-Disposition"]
    data = client.get(reverse("credentials:download_json", args=[badge.uuid])).json()
    assert data == parts(badge.token)[1]


def test_contexts_are_served_from_the_local_copy(client, db):
    response = client.get(reverse("credentials:context", args=["ob-v3p0-3.0.3.json"]))
    assert response.status_code == 200 and "OpenBadgeCredential" in response.content.decode()
    assert client.get(reverse("credentials:context", args=["views.py"])).status_code == 404
