"""A corpus of hostile files, each sent through the real candidate upload views (a proof, an
identity document) as a browser — or an attacker — would send it: refused with a clear French
message, and nothing stored (no file under MEDIA_ROOT, no row).

The files are built here, byte by byte where it matters; nothing binary is committed.
"""

from __future__ import annotations

import functools
import io
import struct
import tracemalloc
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier, Proof
from tests.documents.helpers import hostile_pdf, script_pdf, text_pdf
from tests.factories import MINIMAL_PDF, dossier_in_state

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


# --- the corpus -----------------------------------------------------------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A well-formed PNG (valid CRCs) whose header declares ``width`` × ``height`` pixels, with a
    few bytes of image data: a decoder would allocate the declared size before finding out."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A JPEG whose start-of-frame, after a 30 KB comment, declares ``width`` × ``height``."""
    comment = b"\xff\xfe" + struct.pack(">H", 30_002) + b"c" * 30_000
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + comment + frame + b"\xff\xd9"


SCRIPT_PAGE = b"<html><body><script>fetch('/dossiers/').then(r => r.text()).then(alert)</script></body></html>"
# Markup that runs without a <script> element or an <html> tag: what browsers and mail clients
# that sniff a whole file would still execute (README, « Fichiers déposés »).
ACTIVE_PAYLOADS = {
    "<svg onload>": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>',
    "<img onerror>": b"<img src=x onerror=alert(document.domain)>",
    "<object>": b'<object data="https://evil.example/x.swf" type="application/x-shockwave-flash"></object>',
    "<body onload>": b"<body onload=\"fetch('/dossiers/').then(r => r.text()).then(alert)\">",
}


def pdf_with_html(offset: int, html: bytes = SCRIPT_PAGE) -> bytes:
    """A PDF that is also an HTML page: the markup sits ``offset`` bytes in, inside a comment
    of the PDF (a PDF reader skips it; an HTML parser runs it)."""
    head = MINIMAL_PDF.replace(b"%%EOF\n", b"")
    padding = b"%" + b"x" * max(0, offset - len(head) - 2) + b"\n"
    return head + padding + b"%" + html + b"\n%%EOF\n"


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(document.cookie)">'
        b"<script>alert(document.domain)</script><rect width='100' height='100'/></svg>"
    )


def windows_executable() -> bytes:
    dos_header = b"MZ" + b"\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + struct.pack("<I", 64)
    return dos_header + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 512


def linux_executable() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" + b"\x00" * 512


@functools.cache
def docx_zip_bomb(inflated: int = 150 * MB) -> bytes:
    """A DOCX (the parts Word needs) whose document inflates to ``inflated`` bytes of zeros:
    about 150 KB on the wire."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = b"0" * MB
            for _ in range(inflated // MB):
                part.write(zeros)
    return buffer.getvalue()


@functools.cache
def docx_lying_bomb(inflated: int = 150 * MB, declared: int = 1000) -> bytes:
    """A DOCX whose document inflates to ``inflated`` bytes while its central directory and
    local header declare ``declared``: a reader that trusts the directory sees a small file;
    an office suite that inflates the stream to its end gets the whole of it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w") as part:
            zeros = b"0" * MB
            for _ in range(inflated // MB):
                part.write(zeros)
    data = bytearray(buffer.getvalue())
    name = b"word/document.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name.decode()).header_offset
    central = data.rindex(b"PK\x01\x02")  # the last entry of the directory is the document's
    assert data[local + 30 : local + 30 + len(name)] == name and data[central + 46 : central + 46 + len(name)] == name
    struct.pack_into("<L", data, local + 22, declared)  # local header: uncompressed size
    struct.pack_into("<L", data, central + 24, declared)  # central directory: uncompressed size
    return bytes(data)


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(MINIMAL_PDF)))
    writer.encrypt(user_password="secret", owner_password="proprietaire", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class Hostile:
    name: str
    content: bytes | None  # None: built on demand (the big ones)
    message: str  # what the candidate reads, in French
    identity_message: str | None = None  # when the identity document says something else

    def bytes(self) -> bytes:
        return self.content if self.content is not None else BUILDERS[self.name]()


BUILDERS = {
    "oversize.pdf": lambda: MINIMAL_PDF + b"%" + b"x" * (20 * MB) + b"\n",
    "rapport.docx": docx_zip_bomb,
    "compte-rendu.docx": docx_lying_bomb,
    "scripts.pdf": hostile_pdf,
    "protege.pdf": encrypted_pdf,
    "101-pages.pdf": lambda: text_pdf([f"Page {n}" for n in range(1, 102)]),
}
HTML_REFUSED = "code HTML"
NOT_ACCEPTED = "Type de fichier non accepté"
SCRIPT_REFUSED = "Ce PDF contient du code exécutable (JavaScript) ou une commande de lancement"

CORPUS: dict[str, Hostile] = {
    "a PDF that is also HTML, markup at the start": Hostile(
        "attestation.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n" + MINIMAL_PDF[9:], HTML_REFUSED
    ),
    "a PDF that is also HTML, markup 3 KB in (past what browsers sniff)": Hostile(
        "attestation.pdf", pdf_with_html(3 * 1024), HTML_REFUSED
    ),
    "a PDF that is also HTML, markup 5 MB in": Hostile("attestation.pdf", pdf_with_html(5 * MB), HTML_REFUSED),
    **{
        f"a PDF that is also HTML, {label} {where}": Hostile(
            "attestation.pdf", pdf_with_html(offset, payload), HTML_REFUSED
        )
        for label, payload in ACTIVE_PAYLOADS.items()
        for where, offset in (("3 KB in", 3 * 1024), ("1 MB in", MB))
    },
    **{
        f"a PDF with a JavaScript or Launch action: {where}": Hostile(
            "attestation.pdf", script_pdf(where), SCRIPT_REFUSED
        )
        for where in ("open action", "name tree", "page /AA", "launch link", "chained after a web link")
    },
    "a PDF whose JavaScript action hides behind an escaped name (/Java#53cript)": Hostile(
        "attestation.pdf", script_pdf("open action").replace(b"/JavaScript", b"/Java#53cript"), SCRIPT_REFUSED
    ),
    "a PDF full of active content (scripts, launch, attachment, form field, multimedia)": Hostile(
        "scripts.pdf", None, SCRIPT_REFUSED
    ),
    "a password-protected PDF": Hostile("protege.pdf", None, "protégé par un mot de passe"),
    "a PDF of 101 pages": Hostile("101-pages.pdf", None, "Ce PDF compte 101 pages ; 100 au plus"),
    "a DOCX whose directory declares 1 KB but which inflates to 150 MB": Hostile(
        "compte-rendu.docx", None, "anormalement volumineux une fois décompressé", NOT_ACCEPTED
    ),
    "an SVG with a script, renamed .png": Hostile("photo.png", svg_with_script(), NOT_ACCEPTED),
    "a Windows executable renamed .pdf": Hostile("attestation.pdf", windows_executable(), NOT_ACCEPTED),
    "a Linux executable renamed .pdf": Hostile("attestation.pdf", linux_executable(), NOT_ACCEPTED),
    # An identity document is a PDF or an image: any archive is refused before it is opened.
    "a DOCX zip bomb": Hostile("rapport.docx", None, "anormalement volumineux une fois décompressé", NOT_ACCEPTED),
    "an empty file": Hostile("vide.pdf", b"", "vide"),
    "an oversize file (20 MB and more)": Hostile("oversize.pdf", None, "la limite est de 20"),
    "a 300-character name": Hostile("a" * 296 + ".pdf", MINIMAL_PDF, "Le nom du fichier est trop long"),
    "a name that is only a parent folder": Hostile("../", MINIMAL_PDF, "Choisissez le fichier"),
    "a PNG declaring 100,000 × 100,000 pixels": Hostile(
        "scan.png", png_declaring(100_000, 100_000), "Image trop grande (100000 × 100000 pixels)"
    ),
    "a JPEG declaring 65,535 × 65,535 pixels behind a long comment": Hostile(
        "scan.jpg", jpeg_declaring(65_535, 65_535), "Image trop grande (65535 × 65535 pixels)"
    ),
}


# --- sending them as a browser does -----------------------------------------------------------


def multipart(fields: dict[str, str | list[str]], file_field: str, filename: str, content: bytes):
    """A multipart body carrying ``filename`` exactly as given (Django's test client would keep
    only its last part, as browsers do: an attacker does not)."""
    boundary = uuid.uuid4().hex
    parts = []
    for key, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def stored_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@dataclass
class Target:
    """One of the two candidate upload views, ready to post to."""

    dossier: Dossier
    url: str
    file_field: str
    fields: dict

    def post(self, client, filename: str, content: bytes):
        body, content_type = multipart(self.fields, self.file_field, filename, content)
        response = client.generic("POST", self.url, body, content_type=content_type)
        return client.get(response.url) if response.status_code == 302 else response

    def stored_rows(self) -> tuple:
        self.dossier.refresh_from_db()
        return (
            Proof.objects.filter(dossier=self.dossier).count(),
            self.dossier.identity_document.name,
            self.dossier.identity_document_sha256,
        )


@pytest.fixture(params=["proof", "identity document"])
def target(request, db) -> Target:
    if request.param == "proof":
        dossier = dossier_in_state(S.ADMISSIBLE)
        fields = {
            "title": "Attestation employeur",
            "kind": "attestation",
            "date": "2024-03-01",
            "description": "Signée par la directrice.",
            "competencies": [str(dossier.targeted_competencies().first().pk)],
        }
        return Target(dossier, reverse("dossiers:proofs", args=[dossier.pk]), "file", fields)
    dossier = dossier_in_state(S.DRAFT)
    return Target(dossier, reverse("dossiers:identity_document", args=[dossier.pk]), "document", {})


@pytest.mark.parametrize("case", list(CORPUS))
def test_each_hostile_file_is_refused_with_a_clear_message_and_nothing_is_stored(case, target, client, settings):
    hostile = CORPUS[case]
    content = hostile.bytes()
    client.force_login(target.dossier.candidate)
    media = Path(settings.MEDIA_ROOT)
    files_before, rows_before = stored_files(media), target.stored_rows()

    response = target.post(client, hostile.name, content)

    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    message = hostile.identity_message if target.file_field == "document" and hostile.identity_message else None
    assert (message or hostile.message) in page, f"{case}: the candidate is not told why"
    assert stored_files(media) == files_before, f"{case}: a file was stored"
    assert target.stored_rows() == rows_before, f"{case}: a row was stored"


def test_the_corpus_is_refused_for_its_content_not_for_its_size(settings):
    # The DOCX bomb is small on the wire: it is its inflated size that is refused.
    assert len(CORPUS["a DOCX zip bomb"].bytes()) < 1 * MB
    assert len(CORPUS["an oversize file (20 MB and more)"].bytes()) > settings.UPLOAD_MAX_BYTES


def test_a_name_with_parent_folders_never_reaches_the_disk(target, client, settings, tmp_path):
    """Django's multipart parser keeps only the last part of a file name, before any code of
    ours runs (so there is nothing left to refuse), and files are stored under random names:
    ``../`` cannot place a file anywhere. The clean file is accepted, as ``evil.pdf``."""
    client.force_login(target.dossier.candidate)
    media = Path(settings.MEDIA_ROOT)
    hostile_name = "../" * 8 + str(tmp_path / "evil.pdf").lstrip("/")

    response = target.post(client, hostile_name, MINIMAL_PDF)

    assert response.status_code == 200
    assert not list(tmp_path.rglob("evil.pdf"))
    target.dossier.refresh_from_db()
    proof = target.dossier.proofs.order_by("-pk").first() if target.file_field == "file" else None
    stored_name, shown_name = (
        (proof.file.name, proof.original_name)
        if proof
        else (target.dossier.identity_document.name, target.dossier.identity_document_name)
    )
    assert shown_name == "evil.pdf"
    assert "evil" not in stored_name and ".." not in stored_name
    assert (media / stored_name).resolve().is_relative_to(media.resolve())


def test_a_huge_declared_image_is_refused_by_our_own_reading_of_its_header_without_allocating_it(
    target, client, monkeypatch
):
    """Pillow's decompression-bomb limit is not the guard: switched off, the PNG is still refused
    before any decoder runs, and the request allocates a few megabytes at most."""
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("the pixels were decoded"))
    client.force_login(target.dossier.candidate)

    tracemalloc.start()
    try:
        response = target.post(client, "scan.png", png_declaring(100_000, 100_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "Image trop grande (100000 × 100000 pixels)" in response.content.decode()
    assert peak < 20 * MB


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("attestation.pdf", MINIMAL_PDF),
        ("photo.png", png_declaring(4000, 3000)),
        ("photo.jpg", jpeg_declaring(4000, 3000)),
    ],
)
def test_ordinary_files_still_pass_the_same_checks(name, content, target, client, settings):
    client.force_login(target.dossier.candidate)
    files_before = stored_files(Path(settings.MEDIA_ROOT))

    response = target.post(client, name, content)

    page = response.content.decode()
    assert "refusée" not in page and "non accepté" not in page
    assert len(stored_files(Path(settings.MEDIA_ROOT)) - files_before) == 1
