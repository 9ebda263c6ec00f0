"""The antivirus gate on the jury's side: a juror downloads a submitted proof only once the
antivirus released it (dossiers.permissions.file_released); the page says why otherwise."""

import pytest
from django.urls import reverse

from dossiers.enums import ScanStatus
from dossiers.models import Proof
from tests.juries.helpers import declare_none


@pytest.mark.parametrize(
    ("status", "code", "said"),
    [
        (ScanStatus.PENDING, 403, "en cours d'analyse antivirus"),
        (ScanStatus.FAILED, 403, "n'a pas pu aboutir"),
        (ScanStatus.INFECTED, 410, "mis en quarantaine"),
    ],
)
def test_a_juror_cannot_download_a_proof_the_antivirus_has_not_released(status, code, said, jury, client):
    proof = jury.dossier.proofs.first()
    Proof.objects.filter(pk=proof.pk).update(scan_status=status)
    declare_none([jury.pro], jury.convocation)
    client.force_login(jury.pro.user)

    response = client.get(reverse("dossiers:proof_download", args=[jury.dossier.pk, proof.pk]))

    assert response.status_code == code
    assert said in response.content.decode().replace("&#x27;", "'")
    assert not hasattr(response, "streaming_content")
    block = jury.dossier.targeted_blocks().first()
    page = client.get(reverse("jury:dossier_block", args=[jury.convocation.pk, block.pk])).content.decode()
    assert reverse("dossiers:proof_download", args=[jury.dossier.pk, proof.pk]) not in page


def test_a_juror_downloads_a_proof_found_clean(jury, client):
    proof = jury.dossier.proofs.first()
    Proof.objects.filter(pk=proof.pk).update(scan_status=ScanStatus.CLEAN)
    declare_none([jury.pro], jury.convocation)
    client.force_login(jury.pro.user)

    response = client.get(reverse("dossiers:proof_download", args=[jury.dossier.pk, proof.pk]))

    assert response.status_code == 200


def test_the_candidate_still_downloads_their_own_proof_while_it_is_scanned(jury, client):
    proof = jury.dossier.proofs.first()
    Proof.objects.filter(pk=proof.pk).update(scan_status=ScanStatus.PENDING)
    client.force_login(jury.dossier.candidate)

    assert client.get(reverse("dossiers:proof_download", args=[jury.dossier.pk, proof.pk])).status_code == 200
