"""The one place the messaging app tells people something happened (issue #15).

Events ``"message"`` (to the certifier's staff, from a candidate) and ``"message_reply"`` (to the
candidate, from the staff) go to ``notifications.services.notify``: an in-portal notification,
and an e-mail per each recipient's preference. Never any message text: the notification says
that a message arrived and links to the thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from notifications import services as notifications


def notify(recipients: Iterable[Any], event: str, *, dossier=None, url: str = "", context: dict | None = None) -> None:
    """Tell ``recipients`` about ``event`` (inside the transaction of the change)."""
    notifications.notify(recipients, event, dossier=dossier, url=url, context=context)
