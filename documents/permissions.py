"""Who may read a generated document: the rule of its kind (``documents.registry``).

Each kind carries its reader rule, declared by the app that owns the kind (``documents.kinds``
for the dossier PDFs, ``juries.documents`` for the jury's); an app above may add readers to a
kind (the jury reads the dossier de validation of a candidate it examines). Nobody anonymous.
"""

from __future__ import annotations

from documents import registry


def can_read_document(user, document) -> bool:
    """May ``user`` see and download ``document``?"""
    return user.is_authenticated and registry.may_read(user, document)
