"""Message attachments in the one door for files (``core.file_access``), kind
``"message_attachment"`` (a ``MessageAttachment``).

- ``as_="candidate"``: the dossier's candidate reads every attachment of their thread: their
  own while it is scanned (never once infected: ``owner_may_download``), the certifier's once
  the antivirus released it (``file_released``);
- ``as_="certifier"``: the certifier's staff of the dossier (``permissions.certifier_side``)
  read the candidate's attachments once released, each read written to the dossier's audit
  trail (coalesced, as a proof's read), and their own side's as the candidate reads theirs;
- ``as_="accompaniment"``: the staff of the organisation that accompanies the dossier (or did,
  within the read-only period: ``permissions.accompagnateur_side``) read the other sides'
  attachments once released, each read written to the audit trail, and their own side's as the
  candidate reads theirs;
- nobody else (a juror, another candidate, certifier or accompagnateur): 404.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from audit import services as audit
from core import file_access
from dossiers.permissions import file_released, owner_may_download
from messaging import permissions
from messaging.models import MessageAttachment, Side

KIND = "message_attachment"


def _open_for(side: str):
    def is_open(attachment: MessageAttachment) -> bool:
        mine = attachment.message.side == side
        status = attachment.scan_status
        return bool(attachment.file) and (owner_may_download(status) if mine else file_released(status))

    return is_open


def record_read(user, attachment: MessageAttachment) -> None:
    """A certifier's read of another side's attachment, in the dossier's audit trail."""
    if attachment.message.side == Side.CERTIFIER:
        return
    _record(user, attachment)


def record_accompagnateur_read(user, attachment: MessageAttachment) -> None:
    """An accompagnateur's read of another side's attachment, in the dossier's audit trail."""
    if attachment.message.side == Side.ACCOMPAGNATEUR:
        return
    _record(user, attachment)


def _record(user, attachment: MessageAttachment) -> None:
    audit.record(
        "message_attachment.read",
        actor=user,
        target=attachment,
        target_repr=attachment.original_name,
        dossier=attachment.message.dossier,
        coalesce=dt.timedelta(minutes=settings.AUDIT_COALESCE_MINUTES),
    )


def register() -> None:
    file_access.register(
        KIND,
        lambda user, a: permissions.candidate_side(user, a.message.dossier) is not None,
        as_="candidate",
        is_open=_open_for(Side.CANDIDATE),
    )
    file_access.register(
        KIND,
        lambda user, a: permissions.certifier_side(user, a.message.dossier) is not None,
        as_="certifier",
        is_open=_open_for(Side.CERTIFIER),
        on_read=record_read,
    )
    file_access.register(
        KIND,
        lambda user, a: permissions.accompagnateur_side(user, a.message.dossier) is not None,
        as_="accompaniment",
        is_open=_open_for(Side.ACCOMPAGNATEUR),
        on_read=record_accompagnateur_read,
    )
