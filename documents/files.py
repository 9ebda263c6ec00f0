"""Generated documents in the one door for files (``core.file_access``).

``"document"`` (a dossier's PDF: ``GeneratedDocument``) and ``"jury_document"`` (the jury's:
``juries.models.JuryDocument``) answer the reader rule of their kind (``documents.registry``:
``Kind.may_read`` and the readers ``add_reader`` added), whatever the page: the kind's rule
already says who reads (the candidate, the certifier, the jury). Nobody anonymous. Their reads
are not audited: a generated document is made of what the dossier's audit trail already
follows, and its own row says when it was made.
"""

from __future__ import annotations

from core import file_access
from documents import registry


def register() -> None:
    for kind in ("document", "jury_document"):
        file_access.register(kind, registry.may_read, as_=file_access.AUDIENCES)
