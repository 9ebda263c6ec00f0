"""The antivirus hook, against a fake clamd daemon on a real socket (tests/fake_clamd.py): the
portal's own client, the scan task (run eagerly here; tests/faults runs it in a real worker),
the downloads it gates and the quarantine."""

from __future__ import annotations

import logging
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers import clamd, scanning, services
from dossiers.enums import DossierStatus as S
from dossiers.enums import ScanStatus
from dossiers.models import Proof
from tests.emails import assert_html_says_the_same
from tests.factories import (
    MINIMAL_PDF,
    UserFactory,
    dossier_in_state,
    fill_validation,
    make_certification,
    pdf_with_comment,
)
from tests.fake_clamd import EICAR, SIGNATURE, FakeClamd
from vae_portal.celery import app as celery_app

# A readable PDF (the upload check opens every PDF) carrying the test string in a comment.
INFECTED_PDF = pdf_with_comment(EICAR)


@pytest.fixture
def fake_clamd(settings, tmp_path):
    server = FakeClamd().start()
    for key, value in server.settings.items():
        setattr(settings, key, value)
    settings.QUARANTINE_DIR = tmp_path / "quarantine"
    yield server
    server.close()


@pytest.fixture
def eager_tasks():
    """Tasks run in the calling process as soon as they are published."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def certification(db):
    return make_certification(published=True, blocks=1, competencies=2)


@pytest.fixture
def admissible(certification):
    return dossier_in_state(S.ADMISSIBLE, certification=certification)


@pytest.fixture
def certifier(certification):
    user = UserFactory()
    certification.certifiers.first().staff.add(user)
    return user


def upload_proof(client, dossier, content: bytes, name: str = "attestation.pdf"):
    client.force_login(dossier.candidate)
    return client.post(
        reverse("dossiers:proofs", args=[dossier.pk]),
        {"title": "Attestation", "kind": "attestation", "file": SimpleUploadedFile(name, content)},
    )


def submit(dossier) -> None:
    """Submit the dossier de validation (the certifier reads only submitted proofs): narratives
    and a proof for each compétence, then the deposit, which freezes the whole library."""
    fill_validation(dossier)
    services.submit_validation(dossier, dossier.candidate)


def media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


# --- the client, against the daemon ---------------------------------------------------------


@pytest.mark.parametrize("tcp", [False, True], ids=["unix socket", "tcp"])
def test_the_client_streams_a_file_and_reads_the_verdict(tcp, settings):
    server = FakeClamd(tcp=tcp).start()
    try:
        for key, value in server.settings.items():
            setattr(settings, key, value)
        import io

        assert clamd.instream(io.BytesIO(MINIMAL_PDF * 5000)) == clamd.Verdict(infected=False)
        assert clamd.instream(io.BytesIO(INFECTED_PDF)) == clamd.Verdict(infected=True, signature=SIGNATURE)
        assert server.scanned == [MINIMAL_PDF * 5000, INFECTED_PDF]
    finally:
        server.close()


def test_the_client_reports_a_stream_clamd_refuses_and_a_clamd_that_is_down(settings):
    import io

    server = FakeClamd(max_length=1000).start()
    for key, value in server.settings.items():
        setattr(settings, key, value)
    with pytest.raises(clamd.ClamdError, match="size limit exceeded"):
        clamd.instream(io.BytesIO(b"x" * 100_000))
    server.close()
    with pytest.raises(clamd.ClamdUnavailable):
        clamd.instream(io.BytesIO(MINIMAL_PDF))


# --- without clamd: as before -------------------------------------------------------------------


def test_without_clamd_a_file_is_not_scanned_and_a_certifier_downloads_it_at_once(
    client, admissible, certifier, settings
):
    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""
    with mock.patch.object(scanning, "publish") as publish:
        upload_proof(client, admissible, MINIMAL_PDF)
    proof = Proof.objects.get(title="Attestation")
    assert proof.scan_status == ScanStatus.NOT_SCANNED
    publish.assert_not_called()
    submit(admissible)
    client.force_login(certifier)
    response = client.get(reverse("backoffice:dossier_proof", args=[admissible.pk, proof.pk]))
    assert response.status_code == 200


# --- with clamd ---------------------------------------------------------------------------------


def test_a_clean_proof_is_scanned_after_the_upload_commits_then_released_to_the_certifier(
    client, admissible, certifier, fake_clamd, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload_proof(client, admissible, MINIMAL_PDF)
    assert response.status_code == 302
    proof = Proof.objects.get(title="Attestation")
    assert proof.scan_status == ScanStatus.PENDING  # saved and answered before any scan
    assert fake_clamd.scanned == []

    for callback in callbacks:
        callback()

    proof.refresh_from_db()
    assert proof.scan_status == ScanStatus.CLEAN
    assert fake_clamd.scanned == [MINIMAL_PDF]
    submit(admissible)
    client.force_login(certifier)
    response = client.get(reverse("backoffice:dossier_proof", args=[admissible.pk, proof.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_until_found_clean_a_proof_is_closed_to_certifiers_but_its_owner_may_download_it(
    client, admissible, certifier, fake_clamd
):
    with mock.patch.object(scanning, "publish"):  # the worker has not run yet
        upload_proof(client, admissible, MINIMAL_PDF)
        submit(admissible)
    proof = Proof.objects.get(title="Attestation")

    client.force_login(certifier)
    response = client.get(reverse("backoffice:dossier_proof", args=[admissible.pk, proof.pk]))
    assert response.status_code == 403
    assert "en cours d'analyse antivirus" in response.content.decode().replace("&#x27;", "'")
    assert not hasattr(response, "streaming_content")

    client.force_login(admissible.candidate)
    response = client.get(reverse("dossiers:proof_download", args=[admissible.pk, proof.pk]))
    assert response.status_code == 200
    page = client.get(reverse("dossiers:proofs", args=[admissible.pk])).content.decode().replace("&#x27;", "'")
    assert "analyse antivirus en cours" in page
    assert "le certificateur et le jury le pourront dès qu'il aura été reconnu sain" in page


def test_an_infected_proof_is_quarantined_out_of_the_media_tree_and_the_candidate_is_told(
    client, admissible, certifier, fake_clamd, eager_tasks, django_capture_on_commit_callbacks, settings
):
    before = media_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        upload_proof(client, admissible, INFECTED_PDF, name="bulletin.pdf")

    proof = Proof.objects.get(title="Attestation")
    assert (proof.scan_status, proof.scan_detail, proof.file.name) == (ScanStatus.INFECTED, SIGNATURE, "")
    assert media_files(settings) == before  # nothing of it left under MEDIA_ROOT
    (quarantined,) = Path(settings.QUARANTINE_DIR).iterdir()
    assert quarantined.read_bytes() == INFECTED_PDF
    assert quarantined.stat().st_mode & 0o777 == 0o600
    assert not quarantined.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())

    (event,) = admissible.audit_events.filter(action="proof.quarantined")
    assert (event.actor_id, event.target_id, event.comment) == (None, proof.pk, SIGNATURE)

    (message,) = mail.outbox
    assert message.to == [admissible.candidate.email]
    assert "quarantaine" in message.subject
    assert f"/dossiers/{admissible.pk}/" in message.body
    assert "bulletin" not in message.body and "Attestation" not in message.body  # a link, no content
    assert_html_says_the_same(message)

    client.force_login(admissible.candidate)
    page = client.get(reverse("dossiers:detail", args=[admissible.pk])).content.decode().replace("&#x27;", "'")
    assert "L'antivirus a détecté un virus dans un fichier que vous avez déposé." in page
    assert "Preuve « Attestation »" in page
    response = client.get(reverse("dossiers:proof_download", args=[admissible.pk, proof.pk]))
    assert response.status_code == 410
    submit(admissible)
    client.force_login(certifier)
    response = client.get(reverse("backoffice:dossier_proof", args=[admissible.pk, proof.pk]))
    assert response.status_code == 410


def test_a_quarantined_proof_linked_to_a_competence_must_be_replaced_before_submitting(
    client, admissible, fake_clamd, eager_tasks, django_capture_on_commit_callbacks
):
    competency = admissible.statements.first().competency
    with django_capture_on_commit_callbacks(execute=True):
        services.add_proof(
            admissible,
            SimpleUploadedFile("a.pdf", INFECTED_PDF),
            competencies=[competency],
            title="Fiche de poste",
            kind="attestation",
        )
    missing = [m.message for m in services.validation_missing(admissible)]
    assert any("« Fiche de poste » a été mise en quarantaine" in m for m in missing)


def test_an_infected_identity_document_is_quarantined_and_asked_for_again(
    client, certification, fake_clamd, eager_tasks, django_capture_on_commit_callbacks, settings
):
    dossier = dossier_in_state(S.DRAFT, certification=certification)
    client.force_login(dossier.candidate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("dossiers:identity_document", args=[dossier.pk]),
            {"document": SimpleUploadedFile("cni.pdf", INFECTED_PDF)},
        )

    dossier.refresh_from_db()
    assert dossier.identity_scan_status == ScanStatus.INFECTED
    assert not dossier.identity_document
    assert len(list(Path(settings.QUARANTINE_DIR).iterdir())) == 1
    assert any("déposez une pièce d'identité" in m.message for m in services.feasibility_missing(dossier))
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode().replace("&#x27;", "'")
    assert "Pièce d'identité « cni.pdf »" in page
    assert client.get(reverse("dossiers:identity_download", args=[dossier.pk])).status_code == 410
    assert "pièce d'identité" in mail.outbox[0].body


def test_a_verdict_on_an_identity_document_replaced_meanwhile_is_not_recorded(certification, fake_clamd):
    dossier = dossier_in_state(S.DRAFT, certification=certification)
    with mock.patch.object(scanning, "publish"):
        services.set_identity_document(dossier, SimpleUploadedFile("v1.pdf", MINIMAL_PDF))
        scanned_name = dossier.identity_document.name
        services.set_identity_document(dossier, SimpleUploadedFile("v2.pdf", INFECTED_PDF))

    assert scanning.record(scanning.IDENTITY, dossier.pk, scanned_name, ScanStatus.CLEAN, "") is None
    dossier.refresh_from_db()
    assert dossier.identity_scan_status == ScanStatus.PENDING
    assert scanning.scan(scanning.IDENTITY, dossier.pk) == ScanStatus.INFECTED


def test_a_certifier_sees_which_files_wait_for_the_antivirus_on_the_dossier_page(client, certification, certifier):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=certification)
    proof = dossier.proofs.get()
    Proof.objects.filter(pk=proof.pk).update(scan_status=ScanStatus.PENDING)
    client.force_login(certifier)

    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()

    assert "analyse antivirus en cours" in page
    assert reverse("backoffice:dossier_proof", args=[dossier.pk, proof.pk]) not in page
    # The frozen content's rendering is cached; once the antivirus releases the file, it shows.
    Proof.objects.filter(pk=proof.pk).update(scan_status=ScanStatus.CLEAN)
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "analyse antivirus en cours" not in page
    assert reverse("backoffice:dossier_proof", args=[dossier.pk, proof.pk]) in page


def test_with_clamd_down_the_file_stays_pending_and_closed_and_the_task_retries(admissible, fake_clamd):
    with mock.patch.object(scanning, "publish"):
        proof = services.add_proof(admissible, SimpleUploadedFile("a.pdf", MINIMAL_PDF), title="A", kind="other")
    fake_clamd.stop()

    from dossiers.tasks import scan_file

    with (
        mock.patch.object(scan_file, "retry", side_effect=RuntimeError("retry")) as retry,
        pytest.raises(RuntimeError, match="retry"),
    ):
        scan_file.run(scanning.PROOF, proof.pk)
    assert isinstance(retry.call_args.kwargs["exc"], clamd.ClamdUnavailable)
    proof.refresh_from_db()
    assert proof.scan_status == ScanStatus.PENDING


def test_a_file_clamd_cannot_scan_fails_closed(admissible, fake_clamd):
    fake_clamd.max_length = 100
    with mock.patch.object(scanning, "publish"):
        proof = services.add_proof(admissible, SimpleUploadedFile("a.pdf", MINIMAL_PDF), title="A", kind="other")

    assert scanning.scan(scanning.PROOF, proof.pk) == ScanStatus.FAILED
    proof.refresh_from_db()
    assert "size limit exceeded" in proof.scan_detail
    from dossiers.permissions import file_released

    assert not file_released(proof.scan_status)


def test_a_broker_down_at_upload_never_fails_it_and_the_sweeper_queues_the_scan_again(
    client, admissible, fake_clamd, django_capture_on_commit_callbacks, caplog
):
    from dossiers.tasks import scan_file

    with (
        mock.patch.object(scan_file, "apply_async", side_effect=ConnectionRefusedError("broker down")),
        caplog.at_level(logging.ERROR, logger="dossiers.scanning"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = upload_proof(client, admissible, MINIMAL_PDF)
    assert response.status_code == 302
    proof = Proof.objects.get(title="Attestation")
    assert proof.scan_status == ScanStatus.PENDING
    assert "the sweeper will retry" in caplog.text

    with mock.patch.object(scan_file, "apply_async") as published:
        assert scanning.sweep(stale_after=3600) == []  # not stale yet
        assert scanning.sweep(stale_after=0) == [(scanning.PROOF, proof.pk)]
    published.assert_called_once_with((scanning.PROOF, proof.pk), retry=True, retry_policy={"max_retries": 1})


def test_quarantined_files_are_deleted_after_their_retention(settings, tmp_path):
    import os
    import time

    settings.QUARANTINE_DIR = tmp_path / "quarantine"
    settings.QUARANTINE_DIR.mkdir()
    old, recent = (
        settings.QUARANTINE_DIR / "proof-1-x.pdf.quarantine",
        settings.QUARANTINE_DIR / "proof-2-y.pdf.quarantine",
    )
    old.write_bytes(INFECTED_PDF)
    recent.write_bytes(INFECTED_PDF)
    month_ago = time.time() - (settings.QUARANTINE_RETENTION_DAYS + 1) * 86400
    os.utime(old, (month_ago, month_ago))

    assert scanning.purge_quarantine() == [old.name]
    assert [p.name for p in settings.QUARANTINE_DIR.iterdir()] == [recent.name]
