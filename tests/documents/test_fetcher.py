"""The one URL fetcher of every generated PDF: what the document hands over, the app's static
files, and nothing else."""

import pytest

from documents.fetcher import PdfFetcher, RefusedURL


def test_resources_handed_over_are_served_from_memory():
    fetcher = PdfFetcher({"proof:7": (b"\x89PNG...", "image/png")})
    response = fetcher.fetch("proof:7")
    assert response.read() == b"\x89PNG..." and response.content_type == "image/png"


def test_the_apps_own_static_files_are_served(settings):
    response = PdfFetcher().fetch("static:css/app.css")
    assert response.read() == (settings.BASE_DIR / "static" / "css" / "app.css").read_bytes()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.org/x.css",
        "ftp://127.0.0.1/x",
        "data:text/css,h1{color:red}",
        "proof:8",  # not handed over
        "static:../../../../etc/passwd",
        "static:/etc/passwd",
        "static:css/../../vae_portal/settings.py",
        "static:css/nope.css",
        "static:",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(ValueError):
        PdfFetcher({"proof:7": (b"x", "image/png")})(url)


def test_a_refusal_says_which_url():
    with pytest.raises(RefusedURL, match="file:///etc/passwd"):
        PdfFetcher().fetch("file:///etc/passwd")
