"""Proof files for the document tests: real PDFs and images, made on the fly."""

import hashlib
import io

from django.core.files.base import ContentFile

from dossiers.enums import ProofKind
from dossiers.models import Proof


def text_pdf(texts: list[str]) -> bytes:
    """A PDF with one page per text, in Helvetica (a standard font, not embedded)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", None, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    kids = []
    for text in texts:
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
        stream = b"BT /F1 14 Tf 72 720 Td (" + safe + b") Tj ET"
        objects.append(b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream")
        content_ref = len(objects)
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 3 0 R>>>>/Contents %d 0 R>>"
            % content_ref
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<</Type/Pages/Kids[" + b" ".join(kids) + b"]/Count %d>>" % len(texts)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size=(640, 480), color=(40, 120, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def add_proof(dossier, data: bytes, name: str, content_type: str, title: str = "", kind=ProofKind.PRODUCTION) -> Proof:
    proof = Proof(
        dossier=dossier,
        title=title or name,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    proof.file.save(name, ContentFile(data), save=True)
    return proof


def weasyprint_pdf(texts: list[str]) -> bytes:
    """A PDF with one page per text and embedded fonts, as office software exports them."""
    from django.utils.html import escape
    from weasyprint import HTML

    pages = "".join(f'<p style="break-after: page">{escape(t)}</p>' for t in texts)
    return HTML(string=f'<html lang="fr"><body>{pages}</body></html>').write_pdf()


def docx_bytes() -> bytes:
    """A minimal DOCX archive (what the upload checks recognise as one)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document>Compte rendu</document>")
    return out.getvalue()
