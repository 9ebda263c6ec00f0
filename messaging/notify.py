"""The one place the messaging app tells people something happened (issue #15).

The ``notifications`` app (below this one: in-portal notifications, e-mail preferences, daily
digests) is built on its own branch; its contract is
``notifications.services.notify(recipients, event, *, dossier=None, url="", context=None)``.
Until the two are merged, ``notify`` here does nothing: it is the single call site the merge
wires to that service (events ``"message"``: to the certifier's staff, from a candidate;
``"message_reply"``: to the candidate, from the staff). Never any message text: the
notification says that a message arrived and links to the thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def notify(recipients: Iterable[Any], event: str, *, dossier=None, url: str = "", context: dict | None = None) -> None:
    """Tell ``recipients`` about ``event`` (inside the transaction of the change)."""
    return None
