"""A dossier arriving from France VAE is written as the portal's own request for recevabilité,
and the demo brings one in from the fake started as the docs say."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse

from documents.enums import DocumentKind as GeneratedKind
from documents.models import GeneratedDocument
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.models import Snapshot, TransitionLog
from dossiers.uploads import check_upload
from francevae import demo, services
from francevae.fake_server import demo_pdf
from francevae.models import FranceVaeLink
from tests.factories import CertifierFactory, UserFactory, fill_feasibility, make_certification
from tests.francevae.conftest import assert_conforms

pytestmark = pytest.mark.django_db(transaction=True)


def rows(dossier):
    """What a request for recevabilité leaves, authors compared with the candidate."""
    candidate = dossier.candidate
    return {
        "transitions": [
            (t.from_status, t.to_status, t.actor == candidate) for t in TransitionLog.objects.filter(dossier=dossier)
        ],
        "snapshots": [(s.kind, s.number, s.created_by == candidate) for s in Snapshot.objects.filter(dossier=dossier)],
        "documents": [
            (d.kind, d.snapshot is not None, d.requested_by == candidate)
            for d in GeneratedDocument.objects.filter(dossier=dossier)
        ],
    }


def test_an_arrival_writes_the_rows_of_a_request_made_on_the_portal(connection, fake):
    services.pull(connection)
    arrived = FranceVaeLink.objects.get().dossier
    portal = dossier_services.start_dossier(UserFactory(), connection.certification)
    fill_feasibility(portal)
    dossier_services.request_feasibility(portal, portal.candidate)
    expected = rows(portal)
    assert expected["documents"] == [(GeneratedKind.FEASIBILITY, True, True)]
    assert rows(arrived) == expected


def test_the_certifiers_history_shows_the_arrival_from_france_vae(connection, fake, client):
    services.pull(connection)
    dossier = FranceVaeLink.objects.get().dossier
    client.force_login(connection.staff)
    body = client.get(reverse("backoffice:dossier_history", args=[dossier.pk])).content.decode()
    assert "Dossier de faisabilité reçu de France VAE" in body
    assert dossier.candidate.get_full_name() in body  # its author: the candidate, who sent it on France VAE


def test_the_demo_pdf_passes_the_portals_upload_checks():
    from django.core.files.uploadedfile import SimpleUploadedFile

    checked = check_upload(SimpleUploadedFile("demo.pdf", demo_pdf(), "application/pdf"))
    assert checked.content_type == "application/pdf"
    assert "démonstration" in pypdf.PdfReader(io.BytesIO(demo_pdf()), strict=True).pages[0].extract_text()


def test_the_demo_seed_brings_the_demo_dossier_into_the_queue(demo_fake, client):
    org = CertifierFactory()
    make_certification(published=True, certifier=org, code="RNCP35830")
    staff = UserFactory()
    org.staff.add(staff)
    connection = demo.seed(org)
    assert connection.organisation == org
    assert services.pull(connection)["created"] == 1
    link = FranceVaeLink.objects.get()
    assert link.dossier.status == S.FEASIBILITY_SUBMITTED
    assert link.documents.count() == 1
    client.force_login(staff)
    body = client.get(reverse("backoffice:queue")).content.decode()
    assert link.dossier.candidate.last_name in body
    assert "via France VAE" in body
    assert_conforms(demo_fake.requests(), token="fake-token")
