"""The one URL fetcher of every PDF the portal renders (dossiers, jury documents).

WeasyPrint loads whatever a document refers to (``<img src>``, ``<link href>``, CSS ``url()``,
``@import``) through a URL fetcher; its default one opens ``file:`` paths and ``http(s):``
addresses, so a reference that slipped into a document would read the server's files or reach
its internal network. This fetcher serves only:

- ``proof:<id>`` and any other name the caller hands over with its bytes (the dossier PDFs'
  proofs, already checked against the snapshot's SHA-256);
- ``static:<path>``: a file of the app's own static assets (``STATICFILES_DIRS`` and the apps'
  ``static/`` folders, found by Django's staticfiles finders, never above them).

Everything else (``file:``, ``http:``, ``https:``, ``ftp:``, ``data:``…) is refused: WeasyPrint
logs a warning and renders without it.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

PROOF_SCHEME = "proof"
STATIC_SCHEME = "static"


class RefusedURL(ValueError):
    """A generated PDF referred to something outside what it may load."""


class PdfFetcher(URLFetcher):
    """``resources``: URL → (bytes, content type), served from memory."""

    def __init__(self, resources: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(allowed_protocols={PROOF_SCHEME, STATIC_SCHEME}, allow_redirects=False, timeout=1)
        self._resources = dict(resources or {})

    def fetch(self, url, headers=None):
        if url in self._resources:
            body, content_type = self._resources[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        if url.startswith(f"{STATIC_SCHEME}:"):
            return self._static(url)
        raise RefusedURL(f"URL refused in a generated PDF: {url[:80]}")

    def _static(self, url: str) -> URLFetcherResponse:
        from django.contrib.staticfiles import finders

        relative = url[len(STATIC_SCHEME) + 1 :].split("?", 1)[0].split("#", 1)[0]
        normalised = posixpath.normpath(relative)
        if not relative or normalised.startswith(("/", "..")) or "\\" in relative or "\x00" in relative:
            raise RefusedURL(f"static path refused in a generated PDF: {url[:80]}")
        found = finders.find(normalised)  # joins safely under each static folder
        if not found:
            raise RefusedURL(f"no such static file: {url[:80]}")
        path = Path(found)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
