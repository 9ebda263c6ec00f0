"""core.files.serve_file: the one way a stored file leaves the portal."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from core.files import safe_filename, serve_file
from documents.models import GeneratedDocument


def field_file(tmp_path, name: str | None, data: bytes = b"%PDF-1.7 test") -> FieldFile:
    storage = FileSystemStorage(location=tmp_path)
    if name is not None and data is not None:
        storage.save(name, ContentFile(data))
    field = GeneratedDocument._meta.get_field("file")
    file = FieldFile(None, field, name or "")
    file.storage = storage
    return file


def test_a_file_is_sent_as_an_attachment_with_its_true_type_and_nosniff(tmp_path):
    response = serve_file(field_file(tmp_path, "a.pdf"), "relevé.pdf", "application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''relev%C3%A9.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"


def test_the_type_is_guessed_from_the_name_when_not_given(tmp_path):
    response = serve_file(field_file(tmp_path, "a.png", b"png"), "photo.png")
    assert response["Content-Type"] == "image/png"


def test_a_name_cannot_break_the_header_nor_point_to_a_path():
    assert safe_filename('../../etc/"passwd"\r\nX-Evil: 1') == "etc_passwd_X-Evil: 1"
    assert safe_filename("") == "fichier"


def test_a_missing_file_is_a_404(tmp_path):
    with pytest.raises(Http404):
        serve_file(field_file(tmp_path, None), "vide.pdf")
    gone = field_file(tmp_path, "gone.pdf")
    gone.storage.delete("gone.pdf")
    with pytest.raises(Http404):
        serve_file(gone, "gone.pdf")


def test_a_read_is_recorded_once_the_file_is_open():
    reads = []
    serve_file(io.BytesIO(b"zip"), "export.zip", "application/zip", on_read=lambda: reads.append(1))
    assert reads == [1]
