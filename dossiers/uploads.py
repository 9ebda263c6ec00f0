"""Checks every uploaded file before anything is stored.

Files are recognised by their content (magic bytes and, for office documents, the archive's
structure), never by their name; sizes and the per-dossier quota come from settings. Each
refusal raises ``UploadRejected`` with a French message saying why and what to do.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photograph is plenty for a proof
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # office documents: refuse archives that inflate past this
MAX_NAME = 120


class UploadRejected(Exception):
    pass


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    name: str
    size: int
    sha256: str


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
            if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED or len(infos) > 5000:
                raise UploadRejected(_("Ce document bureautique est anormalement volumineux une fois décompressé."))
            names = {i.filename for i in infos}
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == CONTENT_TYPES[ODT].encode():
                return ODT
    except zipfile.BadZipFile:
        pass
    raise UploadRejected(_("Archive ZIP non acceptée : seuls les documents DOCX et ODT le sont."))


def _check_image(uploaded) -> None:
    from PIL import Image

    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRejected(
                    _("Image trop grande (%(w)s × %(h)s pixels) : réduisez-la avant de la déposer.")
                    % {"w": width, "h": height}
                )
            image.verify()
    except UploadRejected:
        raise
    except Exception as exc:  # Pillow raises many kinds of errors for a broken image
        raise UploadRejected(_("Cette image est illisible ou endommagée.")) from exc


def check_upload(uploaded, used_bytes: int = 0) -> CheckedFile:
    """Validate an uploaded file; ``used_bytes`` is what the dossier already holds."""
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
    uploaded.seek(0)
    head = uploaded.read(2048)
    kind = _sniff(head)
    if kind is None:
        raise UploadRejected(
            _(
                "Type de fichier non accepté : seuls les PDF, PNG, JPEG, DOCX et ODT le sont (le contenu du fichier "
                "ne correspond à aucun de ces formats)."
            )
        )
    if kind == "zip":
        kind = _office_kind(uploaded)
    if kind == PDF and re.search(rb"<\s*(html|script|svg)", head, re.IGNORECASE):
        raise UploadRejected(_("Ce PDF contient du code HTML : il n'est pas accepté."))
    if kind in (PNG, JPEG):
        _check_image(uploaded)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        name=sanitize_name(getattr(uploaded, "name", "") or "document", kind),
        size=size,
        sha256=digest.hexdigest(),
    )
