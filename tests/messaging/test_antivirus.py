"""Message attachments go through the same antivirus as proofs (tests/fake_clamd.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from dossiers.enums import ScanStatus
from messaging import services
from tests.dossiers.test_antivirus import INFECTED_PDF, eager_tasks, fake_clamd  # noqa: F401 -- fixtures
from tests.factories import pdf_upload

# The fake clamd, and the scan task run as soon as it is queued.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_clamd", "eager_tasks")]


def test_a_clean_attachment_is_released_to_the_certifier(
    client,
    dossier,
    candidate,
    certifier,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(dossier, candidate, "Pièce", files=[pdf_upload()])
    attachment = message.attachments.get()
    assert attachment.scan_status == ScanStatus.CLEAN
    client.force_login(certifier)
    response = client.get(reverse("messaging:staff_attachment", args=[dossier.pk, attachment.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_an_infected_attachment_is_quarantined_and_served_to_nobody(
    client,
    dossier,
    candidate,
    certifier,
    settings,
    django_capture_on_commit_callbacks,
):
    upload = SimpleUploadedFile("virus.pdf", INFECTED_PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(dossier, candidate, "Pièce", files=[upload])
    attachment = message.attachments.get()
    assert attachment.scan_status == ScanStatus.INFECTED and not attachment.file
    event = AuditEvent.objects.get(action="message_attachment.quarantined")
    assert (event.dossier_id, event.target_id) == (dossier.pk, attachment.pk)
    assert not list((Path(settings.MEDIA_ROOT) / "messages").glob("**/*.pdf"))
    for user, name in ((candidate, "messaging:attachment"), (certifier, "messaging:staff_attachment")):
        client.force_login(user)
        assert client.get(reverse(name, args=[dossier.pk, attachment.pk])).status_code == 410
