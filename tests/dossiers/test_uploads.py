import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dossiers.uploads import UploadRejected, check_upload, sanitize_name
from tests.factories import MINIMAL_PDF


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
