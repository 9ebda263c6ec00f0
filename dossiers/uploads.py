"""Checks every uploaded file before anything is stored.

Files are recognised by their content (magic bytes and, for office documents, the archive's
structure), never by their name; sizes and the per-dossier quota come from settings. Each
refusal raises ``UploadRejected`` with a French message saying why and what to do.

Rules (proven by the hostile corpus in tests/security/test_hostile_uploads.py):
- an empty file, a file over ``UPLOAD_MAX_BYTES`` or past the dossier's quota is refused;
- a name longer than ``MAX_NAME_LENGTH`` characters is refused (no file system keeps such a
  name: it was crafted). Path parts (``../``) never reach us: Django's multipart parser keeps
  only the last part of a name, and files are stored under random names anyway;
- the content must be a PDF, PNG, JPEG, DOCX or ODT (an SVG, an executable… is refused);
- image dimensions are read from the header bytes by this module before Pillow opens the
  file, and nothing ever decodes the pixels: a PNG declaring 100,000 × 100,000 pixels is
  refused without allocating them, whatever Pillow's own decompression-bomb limit is;
- office archives are refused past ``MAX_ENTRIES`` entries or ``MAX_UNCOMPRESSED`` bytes once
  inflated: each member's compressed data is inflated as a stream, its bytes counted and
  thrown away, up to the end of its deflate stream whatever size the archive declares
  (``inflated_size``: a directory that lies cannot hide a bomb, memory stays bounded);
- a PDF must open (pypdf), without a password, with at most ``PROOF_MAX_PAGES`` pages and,
  for a proof, ``DOSSIER_MAX_PROOF_PAGES`` pages with the dossier's other proofs; none of its
  objects may hold a JavaScript or Launch action (``core.pdf_safety``): its pages are
  copied into the dossier PDF that jurors open;
- no file may carry HTML or SVG markup that runs, anywhere in it: browsers only sniff the first
  1,445 bytes (and we send ``nosniff`` and attachments), but a proof leaves the portal — a juror
  saves it, a mail client or a document manager may sniff the whole file — so a PDF/HTML
  polyglot is refused wherever its markup hides. In the first 2 KB any HTML-looking tag is
  refused; in the whole file, read as a stream with a bounded overlap between chunks
  (``ACTIVE_MARKUP``): ``<script``, ``<iframe``, ``<frame``, ``<object``, ``<embed``,
  ``<applet``, ``<html``, ``<!doctype html``, an event handler attribute (``on…=``) within
  1 KB after a tag's start (``<svg onload``, ``<img onerror``, ``<body onload``…) and
  ``javascript:``, ``vbscript:`` or ``data:text/html`` URLs given to an attribute. The markers
  are long enough, and the handler must follow a tag, so that compressed data does not match
  them by chance (tests/dossiers/test_uploads.py scans random data).
"""

from __future__ import annotations

import hashlib
import logging
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import DomainError
from core.pdf_safety import TooComplex, find_scripts

logger = logging.getLogger(__name__)
# Declared content types, keyed by what the content says the file is.
PDF, PNG, JPEG, DOCX, ODT = "pdf", "png", "jpeg", "docx", "odt"
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", ODT: ".odt"}
KIND_LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", DOCX: "DOCX", ODT: "ODT"}
IDENTITY_KINDS = frozenset({PDF, PNG, JPEG})
# Pages a proof adds to the dossier de validation PDF: an image is placed on a page of its own,
# an office document is attached to the PDF, not reproduced (a PDF: its own page count).
PAGES_OF = {PNG: 1, JPEG: 1, DOCX: 0, ODT: 0}
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photograph is plenty for a proof
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # office documents: refuse archives that inflate past this
MAX_ENTRIES = 5000
MAX_NAME = 120  # what is kept of a name for display
MAX_NAME_LENGTH = 200  # longer names are refused
# In the first 2 KB (what a browser would sniff): any HTML-looking tag. Beyond: markup that runs,
# with markers long enough (and a following delimiter) never to match compressed data by chance.
HTML_IN_HEAD = re.compile(rb"<\s*(html|script|svg|iframe|body|!doctype)", re.IGNORECASE)
ACTIVE_MARKUP = re.compile(
    rb"<(?:script|i?frame(?:set)?|object|embed|applet)[\s/>]"
    rb"|<(?:html[\s/>]|!doctype\s+html)"
    # a URL that runs, given to an attribute (href, src, to, action, content="0;url=…")
    rb"|=\s*[\"']?\s*(?:javascript:|vbscript:|data:\s*(?:text/html|image/svg\+xml|application/xhtml))",
    re.IGNORECASE,
)
# An event handler attribute: "onload=", "/onerror =" (HTML also separates attributes with "/")…
EVENT_HANDLER = re.compile(rb"[\s/\"'](?:on[a-z]{3,24})\s*=", re.IGNORECASE)
# …counts only within HANDLER_REACH bytes after the start of a tag (anything may sit between:
# quoted attribute values can hold "<" and ">").
TAG_START = re.compile(rb"<[a-z][a-z0-9:-]{0,30}[\s/]", re.IGNORECASE)
HANDLER_REACH = 1024
SCAN_CHUNK = 64 * 1024
SCAN_OVERLAP = 2 * HANDLER_REACH  # longer than any match, so that none straddles two chunks unseen


class UploadRejected(DomainError):
    """A file refused at upload; the message says why and what to do."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    name: str
    size: int
    sha256: str
    pages: int  # what it adds to the dossier PDF (PAGES_OF; a PDF: its page count)


def sanitize_name(name: str, kind: str) -> str:
    """A safe display name: no path, no control characters, bounded length, true extension."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    stem = PurePosixPath(base).stem if "." in base else base
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", stem).strip(" ._") or "document"
    return f"{stem[:MAX_NAME]}{EXTENSIONS[kind]}"


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _office_kind(uploaded) -> str:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES or inflated_size(uploaded, infos, MAX_UNCOMPRESSED) > MAX_UNCOMPRESSED:
                raise UploadRejected(_("Ce document bureautique est anormalement volumineux une fois décompressé."))
            names = {i.filename for i in infos}
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    if member.read(100).strip() == CONTENT_TYPES[ODT].encode():
                        return ODT
    except (zipfile.BadZipFile, zlib.error, EOFError):
        pass
    raise UploadRejected(_("Archive ZIP non acceptée : seuls les documents DOCX et ODT le sont."))


LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip member's local file header (APPNOTE 4.3.7)


def inflated_size(fileobj, infos: list[zipfile.ZipInfo], limit: int) -> int:
    """The bytes the members of a zip archive really inflate to, counted while inflating each
    one as a stream from its local header to the end of its deflate stream, whatever sizes the
    central directory and local headers declare; stops once past ``limit`` (returns more than
    ``limit``). Stored members count their compressed size. Raises ``zipfile.BadZipFile`` for
    a member the archive misdescribes or compresses with another method than deflate."""
    total = 0
    for info in infos:
        fileobj.seek(info.header_offset)
        header = fileobj.read(LOCAL_HEADER.size)
        if len(header) < LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"no local header for {info.filename!r}")
        _sig, _version, flags, method, *_rest, name_length, extra_length = LOCAL_HEADER.unpack(header)
        if method != info.compress_type or flags & 0x1:
            raise zipfile.BadZipFile(f"{info.filename!r}: headers disagree, or the member is encrypted")
        fileobj.seek(name_length + extra_length, 1)
        if info.compress_type == zipfile.ZIP_STORED:
            total += info.compress_size
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            total += _inflate_counting(fileobj, limit - total)
        else:
            raise zipfile.BadZipFile(f"compression method {info.compress_type} for {info.filename!r}")
        if total > limit:
            break
    return total


def _inflate_counting(fileobj, budget: int) -> int:
    """Inflate a raw deflate stream read from ``fileobj``, 64 KB at a time, counting the
    output and keeping none of it; stops past ``budget`` bytes."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    count = 0
    while not inflater.eof and count <= budget:
        data = inflater.unconsumed_tail or fileobj.read(SCAN_CHUNK)
        out = inflater.decompress(data, SCAN_CHUNK)
        if not data and not out:
            raise zipfile.BadZipFile("truncated deflate stream")
        count += len(out)
    return count


def _check_pdf(uploaded) -> int:
    """A PDF that opens, without a password, within ``PROOF_MAX_PAGES``, with no script: its
    page count."""
    from pypdf import PdfReader

    uploaded.seek(0)
    try:
        reader = PdfReader(uploaded, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadRejected(
                _(
                    "Ce PDF est protégé par un mot de passe : il ne peut être ni vérifié ni reproduit dans votre "
                    "dossier. Enregistrez-le sans mot de passe, puis déposez cette copie."
                )
            )
        pages = len(reader.pages)
        if pages > settings.PROOF_MAX_PAGES:
            raise UploadRejected(
                _(
                    "Ce PDF compte %(n)s pages ; %(max)s au plus sont acceptées par fichier. Ne gardez que les pages "
                    "utiles à votre preuve, puis déposez cette version."
                )
                % {"n": pages, "max": settings.PROOF_MAX_PAGES}
            )
        script = find_scripts(reader)
    except UploadRejected:
        raise
    except TooComplex as exc:
        logger.info("PDF refused: too complex (%s)", exc)
        raise UploadRejected(
            _("Ce PDF est anormalement complexe : enregistrez-le à nouveau, par exemple en l'imprimant en PDF.")
        ) from exc
    except Exception as exc:  # pypdf raises many kinds of errors on a damaged file
        logger.info("PDF refused: unreadable (%s: %s)", type(exc).__name__, exc)
        raise UploadRejected(
            _(
                "Ce PDF est illisible ou endommagé : enregistrez-le à nouveau (par exemple en l'imprimant en PDF), "
                "puis déposez cette copie."
            )
        ) from exc
    finally:
        uploaded.seek(0)
    if script:
        logger.info("PDF refused: %s action", script)
        raise UploadRejected(
            _(
                "Ce PDF contient du code exécutable (JavaScript) ou une commande de lancement : enregistrez-le à "
                "nouveau sans ces éléments (par exemple en l'imprimant en PDF)."
            )
        )
    return pages


def _check_image(uploaded, kind: str) -> None:
    """Pillow reads the header only (format, width, height: ``ImageFile`` opens lazily), the
    dimensions are checked against ``MAX_IMAGE_PIXELS`` before anything is decoded, then
    ``verify`` reads the chunks and checksums, never the pixels.

    The format's own plugin is used rather than ``Image.open``: it is the same header reading
    without Pillow's decompression-bomb check, which would refuse a huge image without saying
    its size; our limit is lower than Pillow's, so the guard stays, with its message."""
    from PIL import JpegImagePlugin, PngImagePlugin

    plugin = PngImagePlugin.PngImageFile if kind == PNG else JpegImagePlugin.JpegImageFile
    uploaded.seek(0)
    try:
        image = plugin(uploaded)
    except Exception as exc:  # Pillow raises many kinds of errors for a broken header
        raise UploadRejected(_("Cette image est illisible ou endommagée.")) from exc
    width, height = image.size
    if not width or not height:
        raise UploadRejected(_("Cette image est illisible ou endommagée."))
    if width * height > MAX_IMAGE_PIXELS:
        raise UploadRejected(
            _("Image trop grande (%(w)s × %(h)s pixels) : réduisez-la avant de la déposer.") % {"w": width, "h": height}
        )
    try:
        image.verify()
    except Exception as exc:
        raise UploadRejected(_("Cette image est illisible ou endommagée.")) from exc


def _chunks(uploaded):
    uploaded.seek(0)
    if hasattr(uploaded, "chunks"):
        yield from uploaded.chunks(SCAN_CHUNK)
    else:
        yield from iter(lambda: uploaded.read(SCAN_CHUNK), b"")


def _html_refused() -> UploadRejected:
    return UploadRejected(
        _(
            "Ce fichier contient du code HTML (une page web, un script) : il n'est pas accepté. Enregistrez-le "
            "de nouveau, par exemple avec « Imprimer en PDF », puis déposez cette copie."
        )
    )


def has_active_markup(window: bytes) -> bool:
    """Markup that runs, in ``window`` (a chunk of a file with the end of the previous one)."""
    if ACTIVE_MARKUP.search(window):
        return True
    for handler in EVENT_HANDLER.finditer(window):
        if TAG_START.search(window, max(0, handler.start() - HANDLER_REACH), handler.start() + 1):
            return True
    return False


def _digest_and_scan(uploaded) -> str:
    """SHA-256 of the whole file, refusing it on the way if active markup hides anywhere in it.
    Memory stays bounded: one chunk and the overlap kept from the previous one."""
    digest = hashlib.sha256()
    tail = b""
    for chunk in _chunks(uploaded):
        digest.update(chunk)
        if has_active_markup(tail + chunk):
            raise _html_refused()
        tail = (tail + chunk)[-SCAN_OVERLAP:]
    uploaded.seek(0)
    return digest.hexdigest()


def check_upload(
    uploaded, used_bytes: int = 0, allowed: frozenset[str] | None = None, used_pages: int | None = None
) -> CheckedFile:
    """Validate an uploaded file; ``used_bytes`` is what the dossier already holds, ``allowed``
    the kinds accepted here (all of them by default), ``used_pages`` the pages the dossier's
    proofs already add to its PDF (None: the file is not a proof, only its own pages count)."""
    size = uploaded.size or 0
    if size == 0:
        raise UploadRejected(_("Le fichier est vide."))
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadRejected(
            _("Le fichier pèse %(size)s ; la limite est de %(max)s par fichier.")
            % {"size": filesizeformat(size), "max": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    if used_bytes + size > settings.DOSSIER_QUOTA_BYTES:
        raise UploadRejected(
            _("Ce fichier dépasserait l'espace de %(quota)s du dossier (%(used)s déjà utilisés).")
            % {"quota": filesizeformat(settings.DOSSIER_QUOTA_BYTES), "used": filesizeformat(used_bytes)}
        )
    name = getattr(uploaded, "name", "") or "document"
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRejected(
            _("Le nom du fichier est trop long (%(n)s caractères, %(max)s au plus) : renommez-le avant de le déposer.")
            % {"n": len(name), "max": MAX_NAME_LENGTH}
        )
    uploaded.seek(0)
    head = uploaded.read(2048)
    kind = _sniff(head)
    accepted = allowed or frozenset(CONTENT_TYPES)
    if kind is None or (kind == "zip" and not accepted & {DOCX, ODT}):
        raise UploadRejected(
            _(
                "Type de fichier non accepté : seuls les %(kinds)s le sont (le contenu du fichier ne correspond "
                "à aucun de ces formats)."
            )
            % {"kinds": _kinds_label(accepted)}
        )
    if kind == "zip":
        kind = _office_kind(uploaded)
    if kind not in accepted:
        raise UploadRejected(
            _("Type de fichier non accepté ici : seuls les %(kinds)s le sont.") % {"kinds": _kinds_label(accepted)}
        )
    if HTML_IN_HEAD.search(head):
        raise _html_refused()
    if kind in (PNG, JPEG):
        _check_image(uploaded, kind)
    sha256 = _digest_and_scan(uploaded)
    pages = _check_pdf(uploaded) if kind == PDF else PAGES_OF[kind]
    if used_pages is not None and pages and used_pages + pages > settings.DOSSIER_MAX_PROOF_PAGES:
        raise UploadRejected(
            ngettext(
                "Avec ce fichier (%(n)s page), les preuves du dossier compteraient %(total)s pages ; le dossier de "
                "validation en reproduit %(max)s au plus. Supprimez des preuves devenues inutiles ou déposez des "
                "versions plus courtes.",
                "Avec ce fichier (%(n)s pages), les preuves du dossier compteraient %(total)s pages ; le dossier de "
                "validation en reproduit %(max)s au plus. Supprimez des preuves devenues inutiles ou déposez des "
                "versions plus courtes.",
                pages,
            )
            % {"n": pages, "total": used_pages + pages, "max": settings.DOSSIER_MAX_PROOF_PAGES}
        )
    return CheckedFile(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        name=sanitize_name(name, kind),
        size=size,
        sha256=sha256,
        pages=pages,
    )


def _kinds_label(kinds: frozenset[str]) -> str:
    labels = [label for kind, label in KIND_LABELS.items() if kind in kinds]
    return (
        labels[0]
        if len(labels) == 1
        else _("%(most)s et %(last)s") % {"most": ", ".join(labels[:-1]), "last": labels[-1]}
    )
