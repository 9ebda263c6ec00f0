"""Every generated PDF: HTML (templates/pdf/) → WeasyPrint → PDF/A-3b, through the one
restricted URL fetcher (``documents.fetcher``).

``render_document`` renders a ``GeneratedDocument`` as its kind says (``documents.registry``):
a kind with a template and a context builder (the jury's PDFs) goes through
``render_template``; the dossier PDFs, which insert the candidate's proofs, have their own
renderer below.

Dossier PDFs: a snapshot's content → HTML (templates/pdf/) → WeasyPrint → PDF/A-3b.

The document reads only the snapshot (``Snapshot.content``) and the proof files it names,
checked against their SHA-256 (``documents.proofs``), so it shows exactly what was submitted.
A draft preview reads the live dossier instead and is marked as a draft on every page.

PDF proofs are reproduced page for page, stripped of whatever could act (scripts, launch
actions, form fields, attached files, multimedia: ``core.pdf_safety``). WeasyPrint
lays out a separator page for each, then one empty placeholder page per page of the proof, so
that the table of contents and the footer's "page x / y" count them; pypdf then swaps each
placeholder for the proof's page, as an incremental update of WeasyPrint's file (its bytes are
kept, the merge stays cheap).

PDF/A: WeasyPrint writes PDF/A-3b (fonts embedded, sRGB output intent, XMP metadata with
title, author and subject); office proofs are embedded as PDF/A-3 associated files. Proof
pages are otherwise copied as the candidate uploaded them, so the whole file conforms only if they do:
``proofs.pdfa_problems`` looks for the usual culprits and, if it finds one, the PDF/A
identification is removed from the XMP metadata rather than claimed falsely
(``Rendered.pdfa`` is then False).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PdfWriter
from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from core.pdf_safety import strip_document, strip_page
from documents import proofs as proof_files
from documents import registry
from documents.enums import DocumentKind
from documents.fetcher import PdfFetcher
from dossiers.enums import SelfAssessment, SnapshotKind
from dossiers.feasibility import readable_sections

logger = logging.getLogger(__name__)
PDF_VARIANT = "pdf/a-3b"
TEMPLATES = {
    DocumentKind.VALIDATION: "pdf/validation.html",
    DocumentKind.PREVIEW: "pdf/validation.html",
    DocumentKind.FEASIBILITY: "pdf/feasibility.html",
}


@dataclass
class Rendered:
    pdf: bytes
    html: str
    pages: int
    pdfa: bool
    content_sha256: str


def render_document(document) -> Rendered:
    """Render a ``GeneratedDocument`` as its kind says: its own renderer, or its template
    filled by its context builder."""
    kind = registry.get(document.kind)
    if kind.render is not None:
        return kind.render(document)
    return render_template(kind_html(document))


def kind_html(document) -> str:
    """The HTML of a template kind's document, in French (the tests read it)."""
    kind = registry.get(document.kind)
    with translation.override("fr"):
        return render_to_string(kind.template, kind.context(document))


def render_template(html: str) -> Rendered:
    """HTML → PDF/A-3b, loading only the app's static files. The template gives the PDF/A
    metadata in its head (``<title>``, ``<meta name="author">``, ``description``)."""
    with _gc_paused():
        document = HTML(string=html, url_fetcher=PdfFetcher()).render(
            font_config=_font_config(), pdf_variant=PDF_VARIANT
        )
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return Rendered(pdf=pdf, html=html, pages=len(document.pages), pdfa=True, content_sha256="")


def render_snapshot(snapshot) -> Rendered:
    """What was submitted: the dossier de validation or the recevabilité request."""
    kind = DocumentKind.VALIDATION if snapshot.kind == SnapshotKind.VALIDATION else DocumentKind.FEASIBILITY
    return render(
        kind, snapshot.content, sha256=snapshot.sha256, submitted_at=snapshot.created_at, number=snapshot.number
    )


def render_draft(dossier) -> Rendered:
    """The dossier de validation as the draft stands now, marked as a draft on every page."""
    from dossiers.snapshots import build_content, canonical_sha256

    content = build_content(dossier)
    return render(DocumentKind.PREVIEW, content, sha256=canonical_sha256(content), draft=True)


def render(
    kind: str,
    content: dict[str, Any],
    *,
    sha256: str,
    submitted_at: dt.datetime | None = None,
    number: int | None = None,
    draft: bool = False,
) -> Rendered:
    with translation.override("fr"):
        proofs = [] if kind == DocumentKind.FEASIBILITY else proof_files.prepare(content["dossier"], content["proofs"])
        html = render_html(kind, content, proofs, sha256=sha256, submitted_at=submitted_at, number=number, draft=draft)
    with _gc_paused():
        document = HTML(string=html, url_fetcher=_fetcher(proofs)).render(
            font_config=_font_config(), pdf_variant=PDF_VARIANT
        )
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=_office_attachments(proofs))
    inserted = [] if draft else [p for p in proofs if p.reader is not None]
    pdfa = not any(p.pdfa_problems for p in inserted)
    if inserted:
        pdf = _insert_proof_pages(pdf, document, inserted, keep_pdfa=pdfa)
    return Rendered(pdf=pdf, html=html, pages=len(document.pages), pdfa=pdfa, content_sha256=sha256)


_local = threading.local()


def _font_config() -> FontConfiguration:
    """One per thread (a worker process renders one document at a time): loading fontconfig
    and a fresh Pango font map for every render costs time, and a warm font map shapes text
    faster. Safe to reuse: these templates declare no @font-face."""
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


@contextlib.contextmanager
def _gc_paused():
    """WeasyPrint allocates millions of short-lived objects: the cyclic garbage collector's
    passes over them cost about 7 % of a render (bench/pdf.py). Collect once, at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def render_html(
    kind: str,
    content: dict[str, Any],
    proofs: list[proof_files.ProofFile],
    *,
    sha256: str,
    submitted_at: dt.datetime | None,
    number: int | None,
    draft: bool,
) -> str:
    """The HTML that feeds WeasyPrint (tests read it; the benchmark renders it alone)."""
    experiences = [
        {
            **e,
            "label": f"E{i}",
            "duration": duration_label(e["months"]),
            "start": dt.date.fromisoformat(e["start_date"]),
            "end": dt.date.fromisoformat(e["end_date"]) if e["end_date"] else None,
        }
        for i, e in enumerate(content["experiences"], start=1)
    ]
    experiences_by_id = {e["id"]: e for e in experiences}
    proofs_by_id = {p.id: p for p in proofs}
    assessments = dict(SelfAssessment.choices)
    blocks = [
        {
            **block,
            "anchor": f"bloc-{block['id']}",
            "competencies": [
                {
                    **comp,
                    "anchor": f"competence-{comp['id']}",
                    "self_assessment_label": assessments.get(comp["self_assessment"], _("non renseigné")),
                    "experience_list": [experiences_by_id[i] for i in comp["experiences"] if i in experiences_by_id],
                    "proof_list": [proofs_by_id[i] for i in comp["proofs"] if i in proofs_by_id],
                }
                for comp in block["competencies"]
            ],
        }
        for block in content["blocks"]
    ]
    transversal = [
        {
            **t,
            "anchor": f"transversal-{t['assessment_method']}",
            "proof_list": [proofs_by_id[i] for i in t["proofs"] if i in proofs_by_id],
        }
        for t in content.get("transversal", [])
    ]
    certification = content["certification"]
    kind_label = DocumentKind(kind).label if kind != DocumentKind.PREVIEW else DocumentKind.VALIDATION.label
    title = f"{kind_label.capitalize()} — {content['candidate']['name']} — {certification['title']}"
    subject = _("%(kind)s de %(name)s pour la certification %(cert)s. Empreinte SHA-256 du contenu : %(sha)s") % {
        "kind": kind_label.capitalize(),
        "name": content["candidate"]["name"],
        "cert": " ".join(filter(None, [certification["code"], certification["title"]])),
        "sha": sha256,
    }
    months = sum(e["months"] for e in experiences)
    context = {
        "kind": kind,
        "kind_label": kind_label,
        "draft": draft,
        "title": title,
        "subject": subject,
        "content": content,
        "certification": certification,
        "certifiers": ", ".join(certification["certifiers"]),
        "running_certification": _shorten(" ".join(filter(None, [certification["code"], certification["title"]])), 90),
        "blocks": blocks,
        "transversal": transversal,
        "experiences": experiences,
        "total_duration": duration_label(months),
        "total_hours": sum(e["total_hours"] or 0 for e in experiences),
        "proofs": proofs,
        "sha256": sha256,
        "number": number,
        "submitted_at": submitted_at,
        "generated_at": timezone.now(),
        "sworn_statement_at": _parse_datetime(content.get("sworn_statement_at")),
        # The dossier de faisabilité's sections, in the model's order (dossiers.feasibility).
        "feasibility_sections": readable_sections(content) if kind == DocumentKind.FEASIBILITY else [],
        "created_iso": (submitted_at or timezone.now()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return render_to_string(TEMPLATES[kind], context)


def duration_label(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)s an", "%(n)s ans", years) % {"n": years})
    if rest or not years:
        parts.append(ngettext("%(n)s mois", "%(n)s mois", rest) % {"n": rest})
    return _(" et ").join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _parse_datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _fetcher(proofs: list[proof_files.ProofFile]) -> PdfFetcher:
    """``proof:<id>`` URLs from the checked bytes, the app's static files, and nothing else."""
    return PdfFetcher({p.url: (p.data, p.entry["content_type"]) for p in proofs if p.usable})


def _office_attachments(proofs: list[proof_files.ProofFile]) -> list[Attachment]:
    """Office proofs are not converted: the files travel inside the PDF (PDF/A-3 associated files)."""
    return [
        Attachment(
            file_obj=io.BytesIO(p.data),
            name=p.entry["file_name"],
            description=f"{p.label} — {p.entry['title']}",
            relationship="Source",
        )
        for p in proofs
        if p.category == proof_files.OFFICE and p.usable
    ]


def _insert_proof_pages(pdf: bytes, document, inserted: list[proof_files.ProofFile], keep_pdfa: bool) -> bytes:
    """Swap the placeholder pages that follow each proof's separator page for the proof's pages."""
    separator_page = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            separator_page.setdefault(anchor, index)
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    # From the last page backwards, so that the indexes still to visit do not move.
    slots = []
    for item in inserted:
        first = separator_page[item.anchor] + 1
        slots.extend((first + n, item, n) for n in range(item.pages))
    for index, item, n in sorted(slots, key=lambda slot: slot[0], reverse=True):
        if document.pages[index].anchors:  # a placeholder holds nothing: the layout went wrong
            raise RuntimeError(f"page {index + 1} is not a placeholder for proof {item.id}")
        writer.insert_page(item.reader.pages[n], index)
        strip_page(writer.pages[index])  # already stripped in proofs.prepare: whatever the copy brought
        writer.remove_page(index + 1)
    removed = strip_document(writer.root_object)
    if removed:
        logger.warning("Dossier PDF: document-level actions removed: %s", ", ".join(removed))
    if not keep_pdfa:
        _drop_pdfa_identification(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _drop_pdfa_identification(writer: PdfWriter) -> None:
    metadata = writer.root_object["/Metadata"].get_object()
    xmp = metadata.get_data()
    xmp = re.sub(rb"<pdfaid:(\w+)>[^<]*</pdfaid:\1>", b"", xmp)
    xmp = re.sub(rb'\s*pdfaid:\w+="[^"]*"', b"", xmp)
    metadata.set_data(xmp)
