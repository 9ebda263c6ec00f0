"""The jury's PDFs: the HTML fed to WeasyPrint, the rendered file, the idempotent job."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from documents import pdf
from documents import services as documents
from documents.enums import DocumentStatus
from juries import queries, services
from juries.enums import JuryDocumentKind
from juries.models import JuryDocument
from tests.juries.helpers import decided, jury_session, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def final_session():
    session, members, (conv,) = jury_session()
    services.declare_link(members[1], conv, "none")
    decided(
        session,
        members,
        conv,
        validated={i.key: i.block.order == 1 for i in queries.assessed_items(conv.dossier)},
    )
    sign_all(session, members)
    return session, members, conv


def text_of(document: JuryDocument) -> str:
    document.file.open("rb")
    reader = PdfReader(io.BytesIO(document.file.read()))
    document.file.close()
    return " ".join(page.extract_text() for page in reader.pages)


def test_the_minutes_say_where_who_what_and_who_signed(final_session):
    session, members, conv = final_session
    document = JuryDocument.objects.get(kind=JuryDocumentKind.MINUTES)
    html = pdf.kind_html(document)
    assert session.certification.title in html
    assert session.place in html
    for m in members:
        assert m.user.get_full_name() in html
    assert "Validation partielle de la certification visée en totalité" in html
    assert "Signé dans le portail le" in html and session.minutes.content_sha256 in html
    documents.run(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.pages >= 1 and len(document.sha256) == 64
    text = text_of(document)
    assert "Procès-verbal du jury" in text and conv.dossier.candidate.last_name in text


def test_the_letter_gives_each_bloc_and_the_preconisations(final_session):
    session, members, conv = final_session
    document = JuryDocument.objects.get(kind=JuryDocumentKind.DECISION_LETTER)
    html = pdf.kind_html(document)
    assert conv.dossier.candidate.get_full_name() in html
    assert "Compétences restant à démontrer" in html
    assert "validé" in html and "non validé" in html
    documents.run(document.pk)
    document.refresh_from_db()
    assert "Décision du jury" in text_of(document)


def test_the_attestation_lists_only_the_validated_blocs(final_session):
    session, members, conv = final_session
    document = JuryDocument.objects.get(kind=JuryDocumentKind.ATTESTATION)
    first, second = conv.dossier.targeted_blocks()
    html = pdf.kind_html(document)
    assert first.title in html and second.title not in html
    assert "acquis à vie" in html


def test_rendering_is_idempotent_and_a_failure_is_retried_then_given_up(final_session, monkeypatch):
    document = JuryDocument.objects.get(kind=JuryDocumentKind.MINUTES)
    assert documents.run(document.pk) is None
    document.refresh_from_db()
    done_sha = document.sha256
    assert documents.run(document.pk) is None  # done: left alone
    document.refresh_from_db()
    assert document.sha256 == done_sha and document.attempts == 1

    letter = JuryDocument.objects.get(kind=JuryDocumentKind.DECISION_LETTER)
    monkeypatch.setattr(pdf, "render_document", lambda d: (_ for _ in ()).throw(RuntimeError("police introuvable")))
    delays = [documents.run(letter.pk) for _ in range(settings.DOCUMENTS_MAX_ATTEMPTS)]
    letter.refresh_from_db()
    assert delays[:-1] == [10, 20] and delays[-1] is None
    assert letter.status == DocumentStatus.FAILED and "police introuvable" in letter.error


def test_documents_are_queued_once_the_minutes_are_final(django_capture_on_commit_callbacks, monkeypatch):
    published = []
    monkeypatch.setattr(documents, "publish", lambda pk, kind: published.append(pk))
    session, members, (conv,) = jury_session()
    with django_capture_on_commit_callbacks(execute=True):
        decided(session, members, conv)
        assert not JuryDocument.objects.exists()
        sign_all(session, members)
    assert sorted(published) == sorted(JuryDocument.objects.values_list("pk", flat=True))
    assert JuryDocument.objects.count() == 3


@pytest.fixture
def http_server():
    """A web server on the loopback that counts what it is asked for, and answers a stylesheet."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append(self.path)
            body = b'h1::after { content: "FUITE-RESEAU" }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_a_jury_pdf_fetches_no_local_file_and_no_network_address(final_session, settings, tmp_path, http_server):
    """Whatever a jury template comes to refer to (here: a template of our own in front of the
    real ones), the PDF loads neither a file of the server nor an address of its network."""
    base_url, requests = http_server
    leak = tmp_path / "leak.css"
    leak.write_text('h1::before { content: "FUITE-FICHIER" }')
    templates = tmp_path / "templates" / "pdf" / "jury"
    templates.mkdir(parents=True)
    (templates / "minutes.html").write_text(
        '{% extends "pdf/jury/_base.html" %}{% block body %}'
        f'<link rel="stylesheet" href="file://{leak}">'
        f'<link rel="stylesheet" href="{base_url}/leak.css">'
        f"<style>@import url({base_url}/import.css); @import url(file://{leak});</style>"
        f'<img src="file:///etc/passwd"><img src="{base_url}/pixel.png">'
        '<img src="file:///etc/hostname"><h1>Procès-verbal du jury</h1>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]},
    ]
    document = JuryDocument.objects.get(kind=JuryDocumentKind.MINUTES)
    assert f"file://{leak}" in pdf.kind_html(document)  # the template in front is the one used

    documents.run(document.pk)

    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    text = text_of(document)
    assert "Procès-verbal du jury" in text
    assert "FUITE" not in text
    assert requests == []


def test_a_minutes_document_whose_job_could_not_be_queued_is_queued_again_by_the_sweeper(final_session, monkeypatch):
    """Broker down when the procès-verbal became final: the row stays queued, and the one
    documents sweeper publishes it again once it is stale."""
    import datetime as dt

    from django.utils import timezone

    document = JuryDocument.objects.get(kind=JuryDocumentKind.MINUTES)
    assert document.status == DocumentStatus.QUEUED
    published = []
    monkeypatch.setattr(documents, "publish", lambda pk, kind: published.append((pk, kind)))
    later = timezone.now() + dt.timedelta(seconds=settings.DOCUMENTS_QUEUED_STALE_SECONDS + 1)
    assert document.pk in documents.sweep(now=later)
    assert (document.pk, JuryDocumentKind.MINUTES) in published


def test_a_jury_pdf_is_pdfa_3b(final_session):
    document = JuryDocument.objects.get(kind=JuryDocumentKind.DECISION_LETTER)
    documents.run(document.pk)
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert document.pdfa and b"pdfaid" in xmp and b"3" in xmp
    assert reader.metadata.title == "Lettre de décision"


def test_a_document_has_exactly_one_owner(final_session):
    from django.db import IntegrityError, transaction

    session, members, conv = final_session
    with pytest.raises(IntegrityError), transaction.atomic():
        JuryDocument.objects.create(kind=JuryDocumentKind.MINUTES, session=session, convocation=conv)
    with pytest.raises(IntegrityError), transaction.atomic():
        JuryDocument.objects.create(kind=JuryDocumentKind.MINUTES)
