"""The jury's PDFs: procès-verbal, decision letter, attestation of acquired blocs.

A document is a ``JuryDocument`` row, asked for in the caller's transaction and rendered by a
Celery worker once it commits (``juries.tasks``): HTML from templates/pdf/jury/ → WeasyPrint.
The job is idempotent: a document already done is left alone, a render that fails is retried
up to ``MAX_ATTEMPTS`` times, then the row says it failed and why. The procès-verbal reads the
content frozen when it became final; letters and attestations read the decision rows.
WeasyPrint loads resources through ``documents.fetcher.PdfFetcher``, as the dossier PDFs do:
the app's static files only, never a file of the server nor an address of its network.

(The documents app, once on main, renders the candidates' dossiers the same way; these kinds
can move there.)
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from juries.enums import DocumentStatus, JuryDocumentKind
from juries.models import Decision, JuryDocument, JurySession

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
TEMPLATES = {
    JuryDocumentKind.MINUTES: "pdf/jury/minutes.html",
    JuryDocumentKind.DECISION_LETTER: "pdf/jury/decision_letter.html",
    JuryDocumentKind.ATTESTATION: "pdf/jury/attestation.html",
}


# --- asking for a document ----------------------------------------------------------------


def request(kind: str, session: JurySession, decision: Decision | None = None) -> JuryDocument:
    """The document of ``kind`` (created and queued once committed, if new)."""
    document, created = JuryDocument.objects.get_or_create(kind=kind, session=session, decision=decision)
    if created:
        logger.info("Jury document %s (%s, session %s) queued", document.pk, kind, session.pk)
        transaction.on_commit(lambda: publish(document.pk))
    return document


def publish(document_id: int) -> bool:
    """Send the render job to the broker; False (logged) when it cannot be reached: the row
    stays queued and ``render_pending`` (or a retry) publishes it again."""
    from juries.tasks import render_jury_document

    try:
        render_jury_document.delay(document_id)
    except Exception:
        logger.exception("Could not publish the render job of jury document %s", document_id)
        return False
    return True


# --- rendering (the worker) ---------------------------------------------------------------


@dataclass
class Rendered:
    pdf: bytes
    html: str
    pages: int


def run(document_id: int) -> int | None:
    """Claim, render and store a document. Returns a delay in seconds when the job should be
    tried again, None when it is over (done, failed for good, or nothing to do)."""
    document = _claim(document_id)
    if document is None:
        return None
    try:
        rendered = render(document)
    except Exception as exc:
        logger.exception("Rendering jury document %s failed", document_id)
        return _fail(document_id, f"{type(exc).__name__}: {exc}"[:500])
    _complete(document_id, rendered)
    return None


def _claim(document_id: int) -> JuryDocument | None:
    with transaction.atomic():
        document = (
            JuryDocument.objects.select_for_update(of=("self",))
            .select_related("session__certification", "session__minutes", "decision__dossier__candidate")
            .filter(pk=document_id)
            .first()
        )
        if document is None or document.status in (DocumentStatus.DONE, DocumentStatus.FAILED):
            return None
        document.status = DocumentStatus.RUNNING
        document.attempts += 1
        document.save(update_fields=["status", "attempts"])
    return document


def _complete(document_id: int, rendered: Rendered) -> None:
    with transaction.atomic():
        document = JuryDocument.objects.select_for_update().get(pk=document_id)
        if document.status == DocumentStatus.DONE:
            return
        document.file.save("document.pdf", ContentFile(rendered.pdf), save=False)
        document.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
        document.size = len(rendered.pdf)
        document.pages = rendered.pages
        document.status = DocumentStatus.DONE
        document.error = ""
        document.finished_at = timezone.now()
        document.save()
    logger.info(
        "Jury document %s (%s) done: %s pages, SHA-256 %s", document_id, document.kind, document.pages, document.sha256
    )


def _fail(document_id: int, error: str) -> int | None:
    with transaction.atomic():
        document = JuryDocument.objects.select_for_update().get(pk=document_id)
        document.error = error
        if document.attempts >= MAX_ATTEMPTS:
            document.status = DocumentStatus.FAILED
            document.finished_at = timezone.now()
            retry_in = None
        else:
            document.status = DocumentStatus.QUEUED
            retry_in = 10 * document.attempts
        document.save(update_fields=["status", "error", "finished_at"])
    return retry_in


def render(document: JuryDocument) -> Rendered:
    from weasyprint import HTML  # loaded only where documents are rendered

    from documents.fetcher import PdfFetcher  # the one fetcher of every PDF: no file:, no network

    html = render_html(document)
    rendered = HTML(string=html, url_fetcher=PdfFetcher()).render()
    return Rendered(pdf=rendered.write_pdf(), html=html, pages=len(rendered.pages))


def context_for(document: JuryDocument) -> dict:
    minutes = document.session.minutes
    context = {
        "document": document,
        "minutes": minutes,
        "content": minutes.content or {},
        "created": timezone.localtime(),
    }
    if document.kind == JuryDocumentKind.MINUTES:
        context["signatures"] = list(
            minutes.signatures.filter(content_sha256=minutes.content_sha256).select_related("member__user")
        )
        context["title"] = _("Procès-verbal du jury")
    else:
        decision = (
            Decision.objects.select_related("dossier__candidate", "dossier__certification", "decided_by")
            .prefetch_related("items__block", "items__assessment_method", "items__competencies_to_prove")
            .get(pk=document.decision_id)
        )
        context.update(
            decision=decision,
            candidate=decision.dossier.candidate,
            certification=decision.dossier.certification,
            items=list(decision.items.all()),
            validated_blocks=[i for i in decision.items.all() if i.validated and i.block_id],
            president=next((m for m in minutes.content["members"] if m["role"] == "president"), None),
            title=_("Lettre de décision")
            if document.kind == JuryDocumentKind.DECISION_LETTER
            else _("Attestation de blocs de compétences acquis"),
        )
    return context


def render_html(document: JuryDocument) -> str:
    """The HTML that feeds WeasyPrint (the tests read it)."""
    with translation.override("fr"):
        return render_to_string(TEMPLATES[document.kind], context_for(document))
