"""Reads of a candidate's files by someone else are traced in the dossier's history, coalesced."""

from django.urls import reverse

from audit.models import AuditEvent
from dossiers.enums import DossierStatus as S
from tests.factories import dossier_in_state


def _reads(dossier, action):
    return list(AuditEvent.objects.filter(dossier=dossier, action=action))


def test_a_certifiers_repeated_downloads_of_a_proof_make_one_audit_row(certifier_client, certifier, cert):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    proof = dossier.proofs.first()
    url = reverse("backoffice:dossier_proof", args=[dossier.pk, proof.pk])

    assert certifier_client.get(url).status_code == 200
    assert certifier_client.get(url).status_code == 200

    [row] = _reads(dossier, "proof.read")
    assert (row.actor_id, row.target_id, row.saves) == (certifier.pk, proof.pk, 2)


def test_a_certifiers_download_of_the_identity_document_is_audited(certifier_client, certifier, cert):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)

    assert certifier_client.get(reverse("backoffice:dossier_identity", args=[dossier.pk])).status_code == 200

    [row] = _reads(dossier, "dossier.identity_read")
    assert row.actor_id == certifier.pk


def test_the_candidate_reading_their_own_proof_leaves_no_read_in_the_history(client, cert):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    proof = dossier.proofs.first()
    client.force_login(dossier.candidate)

    assert client.get(reverse("dossiers:proof_download", args=[dossier.pk, proof.pk])).status_code == 200

    assert _reads(dossier, "proof.read") == []


def test_a_refused_download_leaves_no_read_in_the_history(certifier_client, cert):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert)

    assert certifier_client.get(reverse("backoffice:dossier_identity", args=[dossier.pk + 1000])).status_code == 404
    assert not AuditEvent.objects.filter(action__endswith="_read").exists()
