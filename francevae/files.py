"""France VAE documents in the one door for files (``core.file_access``), ``as_="certifier"``.

``"francevae_document"`` (a ``FranceVaeDocument``, received from France VAE with a dossier): a
certifier reads the documents of the dossiers in their scope (``backoffice.permissions.dossiers_for``);
anyone else, 404. The documents are the candidate's personal data, as their proofs are: each
read is written to the dossier's audit trail, coalesced (``AUDIT_COALESCE_MINUTES``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from audit import services as audit
from backoffice.permissions import dossiers_for, is_certifier
from core import file_access


def certifier_reads_document(user, document) -> bool:
    return is_certifier(user) and dossiers_for(user).filter(pk=document.link.dossier_id).exists()


def record_read(user, document) -> None:
    audit.record(
        "francevae.document_read",
        actor=user,
        target=document,
        target_repr=document.name,
        dossier=document.link.dossier,
        coalesce=dt.timedelta(minutes=settings.AUDIT_COALESCE_MINUTES),
    )


def register() -> None:
    file_access.register("francevae_document", certifier_reads_document, as_="certifier", on_read=record_read)
