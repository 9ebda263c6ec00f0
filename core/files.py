"""The one function that sends a stored file to a browser or an API client: ``serve_file``.

Whoever may read the file has been decided before (``files.access``, or a view's scope); this
sends it the one safe way:

- always as an attachment (``Content-Disposition: attachment``), never shown inline by the
  browser, under a safe name: control characters, path separators and quotes removed, ASCII
  ``filename`` plus ``filename*`` in UTF-8 for any other character (RFC 6266 / RFC 5987);
- with its true content type (the one checked at upload, or guessed from the name), and
  ``X-Content-Type-Options: nosniff`` so the browser never guesses another;
- 404 for a file that is not there (an empty field, a file missing from storage);
- ``on_read`` (an audit row, for instance) is called once the file is open, so that a read is
  recorded only when a file is sent.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from typing import IO, Any

from django.http import FileResponse, Http404

UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\"]+')


def safe_filename(name: str, default: str = "fichier") -> str:
    """``name`` without what could break the header or point elsewhere (a path, a quote)."""
    cleaned = UNSAFE.sub("_", name or "").strip(" ._")
    return cleaned[:200] or default


def serve_file(
    file: Any,
    filename: str,
    content_type: str | None = None,
    *,
    on_read: Callable[[], None] | None = None,
) -> FileResponse:
    """Send ``file`` (a ``FieldFile``, or a binary handle already open) as an attachment."""
    if hasattr(file, "open") and hasattr(file, "storage"):  # a FieldFile: open it from storage
        if not file:
            raise Http404
        try:
            handle: IO[bytes] = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
    else:
        handle = file
    name = safe_filename(filename)
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if on_read is not None:
        on_read()
    return response
