"""The proof files a PDF draws on, found from the snapshot and checked against it.

A snapshot lists each proof with its SHA-256; the file on disk is used only if its bytes still
hash to that value, so the PDF holds exactly what was submitted. Each proof falls in one
category: a PDF (its pages are inserted after a separator page), an image (placed in the
document), an office document (listed, and embedded as a PDF/A-3 associated file, not
converted), or a problem (missing, altered, unreadable, too long) that the PDF states instead.

What could act in a PDF proof's pages (scripts, launch actions, form fields, attached files,
multimedia) is stripped before they are copied (``core.pdf_safety``), whatever the
file passed at upload. A PDF past ``PROOF_MAX_PAGES`` pages, or past
``DOSSIER_MAX_PROOF_PAGES`` with the proofs before it, is not reproduced; an office document
that inflates past ``uploads.MAX_UNCOMPRESSED`` (counted while inflating) is not attached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from core.pdf_safety import strip_page
from dossiers import uploads
from dossiers.models import Proof

logger = logging.getLogger(__name__)

PDF, IMAGE, OFFICE, OTHER = "pdf", "image", "office", "other"
CATEGORIES = {
    "application/pdf": PDF,
    "image/png": IMAGE,
    "image/jpeg": IMAGE,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": OFFICE,
    "application/vnd.oasis.opendocument.text": OFFICE,
}


@dataclass
class ProofFile:
    """One proof of a snapshot, ready for the PDF: ``entry`` is the snapshot's own record."""

    entry: dict[str, Any]
    label: str
    category: str
    data: bytes = b""
    problem: str = ""
    reader: PdfReader | None = None
    pages: int = 0
    pdfa_problems: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.entry["id"]

    @property
    def anchor(self) -> str:
        return f"proof-{self.id}"

    @property
    def annex_anchor(self) -> str:
        return f"annex-proof-{self.id}"

    @property
    def url(self) -> str:
        # Resolved by the URL fetcher of ``documents.pdf`` from ``data``, never from the disk.
        return f"proof:{self.id}"

    @property
    def date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.entry["date"]) if self.entry.get("date") else None

    @property
    def page_range(self) -> range:
        return range(self.pages)

    @property
    def usable(self) -> bool:
        return not self.problem


def prepare(dossier_id: int, entries: list[dict[str, Any]]) -> list[ProofFile]:
    """Load and check every proof listed in a snapshot, in the snapshot's order."""
    rows = {p.pk: p for p in Proof.objects.filter(dossier_id=dossier_id, pk__in=[e["id"] for e in entries])}
    prepared = []
    pages = 0
    for number, entry in enumerate(entries, start=1):
        item = ProofFile(entry=entry, label=f"P{number}", category=CATEGORIES.get(entry["content_type"], OTHER))
        item.data, item.problem = _read(rows.get(entry["id"]), entry)
        if item.usable and item.category == PDF:
            _open_pdf(item, pages_before=pages)
            pages += item.pages if item.usable else 0
        elif item.usable and item.category == IMAGE:
            pages += 1
        elif item.usable and item.category == OFFICE:
            _check_office(item)
        prepared.append(item)
    return prepared


def _read(proof: Proof | None, entry: dict[str, Any]) -> tuple[bytes, str]:
    if proof is None or not proof.file:
        return b"", _("Fichier supprimé depuis le dépôt : il ne peut pas être reproduit ici.")
    try:
        with proof.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        logger.warning("Proof %s: file %s cannot be read", proof.pk, proof.file.name)
        return b"", _("Fichier introuvable sur le serveur : il ne peut pas être reproduit ici.")
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        logger.error("Proof %s: file does not match the SHA-256 recorded at submission", proof.pk)
        return b"", _("Le fichier ne correspond plus à l'empreinte enregistrée au dépôt : il n'est pas reproduit.")
    return data, ""


def _open_pdf(item: ProofFile, pages_before: int = 0) -> None:
    try:
        reader = PdfReader(io.BytesIO(item.data))
        if reader.is_encrypted and not reader.decrypt(""):
            item.problem = _("PDF protégé par un mot de passe : ses pages ne peuvent pas être insérées.")
            return
        item.pages = len(reader.pages)
        if item.pages > settings.PROOF_MAX_PAGES:
            item.problem = _("PDF de %(n)s pages : au-delà de %(max)s, ses pages ne sont pas reproduites.") % {
                "n": item.pages,
                "max": settings.PROOF_MAX_PAGES,
            }
        elif pages_before + item.pages > settings.DOSSIER_MAX_PROOF_PAGES:
            item.problem = _(
                "Ses %(n)s pages dépasseraient les %(max)s pages de preuves qu'un dossier reproduit : elles ne "
                "sont pas reproduites."
            ) % {"n": item.pages, "max": settings.DOSSIER_MAX_PROOF_PAGES}
        else:
            for page in reader.pages:
                removed = strip_page(page)
                if removed:
                    logger.warning("Proof %s: removed from a copied page: %s", item.id, ", ".join(removed))
    except Exception:  # pypdf raises many kinds of errors on a damaged file
        logger.warning("Proof %s: unreadable PDF", item.id, exc_info=True)
        item.problem = _("PDF illisible ou endommagé : ses pages ne peuvent pas être insérées.")
        return
    if item.problem:
        return
    if item.pages == 0:
        item.problem = _("PDF sans aucune page.")
        return
    item.reader = reader
    item.pdfa_problems = pdfa_problems(reader)


def _check_office(item: ProofFile) -> None:
    """An office document is attached as it is: only if it really inflates within the limit."""
    data = io.BytesIO(item.data)
    try:
        with zipfile.ZipFile(data) as archive:
            size = uploads.inflated_size(data, archive.infolist(), uploads.MAX_UNCOMPRESSED)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        logger.warning("Proof %s: damaged office archive", item.id, exc_info=True)
        item.problem = _("Document bureautique endommagé : il n'est pas joint.")
        return
    if size > uploads.MAX_UNCOMPRESSED:
        logger.warning("Proof %s: office archive inflates past %s bytes", item.id, uploads.MAX_UNCOMPRESSED)
        item.problem = _("Document bureautique anormalement volumineux une fois décompressé : il n'est pas joint.")


def pdfa_problems(reader: PdfReader) -> list[str]:
    """Cheap checks of what would make pages copied from ``reader`` break PDF/A-3b.

    Not a validator (veraPDF is): it looks for the usual culprits in uploaded PDFs: fonts that
    are not embedded, CMYK colours (the document's output intent is sRGB), annotations other
    than links, and encryption. An empty list means "nothing found", not "conforming".
    """
    problems: list[str] = []
    if reader.is_encrypted:
        problems.append("encrypted")
    seen: set[int] = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                problems.append(f"annotation {annot.get('/Subtype')}")
        _check_resources(page.get("/Resources"), problems, seen, depth=0)
    return sorted(set(problems))


def _check_resources(resources, problems: list[str], seen: set[int], depth: int) -> None:
    if resources is None or depth > 8:
        return
    if isinstance(resources, IndirectObject):
        if resources.idnum in seen:
            return
        seen.add(resources.idnum)
    resources = resources.get_object()
    if not isinstance(resources, DictionaryObject):
        return
    for font in (resources.get("/Font") or DictionaryObject()).values():
        if not _font_embedded(font.get_object()):
            problems.append(f"font not embedded: {font.get_object().get('/BaseFont')}")
    for space in (resources.get("/ColorSpace") or DictionaryObject()).values():
        if "DeviceCMYK" in str(space.get_object()):
            problems.append("DeviceCMYK colour space")
    for xobject in (resources.get("/XObject") or DictionaryObject()).values():
        if isinstance(xobject, IndirectObject):
            if xobject.idnum in seen:
                continue
            seen.add(xobject.idnum)
        xobject = xobject.get_object()
        if xobject.get("/ColorSpace") == "/DeviceCMYK":
            problems.append("DeviceCMYK image")
        if xobject.get("/Subtype") == "/Form":
            _check_resources(xobject.get("/Resources"), problems, seen, depth + 1)


def _font_embedded(font) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        return all(_font_embedded(d.get_object()) for d in font.get("/DescendantFonts") or [])
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
