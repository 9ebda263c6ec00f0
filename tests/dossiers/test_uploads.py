import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dossiers.uploads import UploadRejected, check_upload, sanitize_name
from tests.factories import MINIMAL_PDF, pdf_with_comment


def _png(width=10, height=10) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, "PNG")
    return buf.getvalue()


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", MINIMAL_PDF, "pdf"),
        ("photo.png", _png(), "png"),
        ("cv.docx", _docx(), "docx"),
        ("cv.odt", _odt(), "odt"),
        ("scan.PDF", MINIMAL_PDF, "pdf"),
    ],
)
def test_accepted_files_are_recognised_by_their_content(name, content, kind):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert checked.kind == kind
    assert len(checked.sha256) == 64


def test_a_jpeg_renamed_png_is_recognised_and_named_for_what_it_is():
    buf = io.BytesIO()
    Image.new("RGB", (5, 5)).save(buf, "JPEG")
    checked = check_upload(SimpleUploadedFile("photo.png", buf.getvalue()))
    assert (checked.kind, checked.name) == ("jpeg", "photo.jpg")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 executable", "Type de fichier non accepté"),
        (b"<svg onload=alert(1)>", "Type de fichier non accepté"),
        (b"", "vide"),
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>", "HTML"),
        (b"PK\x03\x04garbage", "ZIP"),
    ],
)
def test_wrong_content_under_a_good_extension_is_refused_with_a_reason(content, message):
    with pytest.raises(UploadRejected, match=message):
        check_upload(SimpleUploadedFile("document.pdf", content))


def test_an_oversize_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(UploadRejected, match="limite"):
        check_upload(SimpleUploadedFile("a.pdf", MINIMAL_PDF))


def test_the_dossier_quota_is_enforced(settings):
    settings.DOSSIER_QUOTA_BYTES = 1000
    with pytest.raises(UploadRejected, match="espace"):
        check_upload(SimpleUploadedFile("a.pdf", MINIMAL_PDF), used_bytes=900)


def test_a_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"0" * (101 * 1024 * 1024))
    with pytest.raises(UploadRejected, match="décompressé"):
        check_upload(SimpleUploadedFile("bombe.docx", buf.getvalue()))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a" * 300 + ".pdf", "a" * 120 + ".pdf"),
        ("C:\\Users\\moi\\cv final.pdf", "cv final.pdf"),
        ("rapport.exe", "rapport.pdf"),
        ("", "document.pdf"),
    ],
)
def test_names_are_sanitised(name, expected):
    assert sanitize_name(name, "pdf") == expected


# --- active markup anywhere in a file --------------------------------------------------------

ACTIVE_MARKUP = [
    b'<svg onload="alert(1)"/>',
    b"<svg/onload=alert(1)>",
    b"<img src=x onerror=alert(1)>",
    b"<img/src=x/onerror=alert(1)>",
    b'<img alt="<>" src=x\nonerror = alert(1)>',
    b"<BODY ONLOAD=alert(1)>",
    b'<object data="x.swf"></object>',
    b'<embed src="x.swf">',
    b"<details open ontoggle=alert(1)>",
    b'<a href="javascript:alert(1)">ici</a>',
    b'<iframe src="data:text/html;base64,PHNjcmlwdD4=">',
    b'<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
]


def _pdf_hiding(markup: bytes, offset: int) -> bytes:
    """A valid PDF with ``markup`` inside a PDF comment, starting ``offset`` bytes in."""
    content = pdf_with_comment(markup, offset)
    assert content.index(markup) == offset
    return content


@pytest.mark.parametrize("markup", ACTIVE_MARKUP)
@pytest.mark.parametrize("offset", [3 * 1024, 1024 * 1024], ids=["3 KB in", "1 MB in"])
def test_active_markup_past_the_first_2_kb_is_refused(markup, offset):
    with pytest.raises(UploadRejected, match="code HTML"):
        check_upload(SimpleUploadedFile("attestation.pdf", _pdf_hiding(markup, offset)))


@pytest.mark.parametrize("split", [1, 5, 12, 20])
def test_markup_straddling_two_chunks_of_the_scan_is_refused(split):
    from dossiers.uploads import SCAN_CHUNK

    markup = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" onload="alert(1)"/>'
    content = _pdf_hiding(markup, 3 * SCAN_CHUNK - split)
    assert content.index(markup) < 3 * SCAN_CHUNK < content.index(markup) + len(markup)
    with pytest.raises(UploadRejected, match="code HTML"):
        check_upload(SimpleUploadedFile("attestation.pdf", content))


def test_words_that_look_like_handlers_outside_any_tag_are_not_refused():
    # Handlers count only within 1 KB after the start of a tag.
    markup = b"onload = 3 ; online=yes ; <b>gras</b>" + b" " * 2048 + b"onerror=1"
    assert check_upload(SimpleUploadedFile("notes.pdf", _pdf_hiding(markup, 4096))).kind == "pdf"


def test_random_bytes_never_look_like_markup():
    """Compressed streams (deflate, JPEG) are close to random bytes: 20 MB of them pass."""
    import random

    from dossiers.uploads import SCAN_CHUNK, SCAN_OVERLAP, has_active_markup

    data = random.Random(2026).randbytes(20 * 1024 * 1024)
    tail = b""
    for start in range(0, len(data), SCAN_CHUNK):
        chunk = data[start : start + SCAN_CHUNK]
        assert not has_active_markup(tail + chunk)
        tail = (tail + chunk)[-SCAN_OVERLAP:]


def test_the_whole_file_scan_keeps_memory_bounded(tmp_path, settings):
    """The markup sits 19 MB into a 20 MB file on disk: found, with a few chunks in memory."""
    import tracemalloc

    from django.core.files.uploadedfile import TemporaryUploadedFile

    settings.UPLOAD_MAX_BYTES = 21 * 1024 * 1024
    upload = TemporaryUploadedFile("gros.pdf", "application/pdf", 0, None)
    upload.write(pdf_with_comment(b"<img src=x onerror=alert(1)>", 19 * 1024 * 1024))
    upload.size = upload.tell()
    upload.seek(0)
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected, match="code HTML"):
            check_upload(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()
    assert peak < 2 * 1024 * 1024


# --- office archives: their real inflated size ------------------------------------------------


def test_an_archive_whose_directory_understates_its_size_is_refused_for_what_it_really_inflates_to():
    import tracemalloc

    from tests.security.test_hostile_uploads import docx_lying_bomb

    bomb = docx_lying_bomb()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(i.file_size for i in archive.infolist()) < 2000  # what the directory declares
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected, match="anormalement volumineux"):
            check_upload(SimpleUploadedFile("cr.docx", bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # inflated 64 KB at a time, nothing kept


def test_inflated_size_counts_the_real_bytes_of_every_member():
    from dossiers.uploads import inflated_size

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>", compress_type=zipfile.ZIP_STORED)
        z.writestr("word/document.xml", b"<w:document/>" * 10_000, compress_type=zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(buf) as z:
        assert inflated_size(buf, z.infolist(), 10**9) == len("<Types/>") + 13 * 10_000


def test_a_truncated_archive_is_refused():
    truncated = _docx_big()[:-200]
    with pytest.raises(UploadRejected):
        check_upload(SimpleUploadedFile("cr.docx", truncated))


def _docx_big() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", bytes(range(256)) * 4000)
    return buf.getvalue()


def test_a_pdf_with_more_objects_than_any_proof_needs_is_refused_before_they_are_read(monkeypatch):
    from core import pdf_safety
    from tests.documents.helpers import text_pdf

    monkeypatch.setattr(pdf_safety, "MAX_OBJECTS", 20)
    with pytest.raises(UploadRejected, match="anormalement complexe"):
        check_upload(SimpleUploadedFile("plan.pdf", text_pdf([f"Page {n}" for n in range(10)])))
    assert check_upload(SimpleUploadedFile("court.pdf", text_pdf(["Une page"]))).pages == 1
