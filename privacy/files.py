"""The data export in the one door for files (``core.file_access``).

``"data_export"`` (the archive of an account's data, built for the request; the object asked
about is the account), ``as_="candidate"`` (the account's own pages): only its holder reads it,
and each read is audited (``account.data_exported``): the archive holds all their personal data.
"""

from __future__ import annotations

from audit import services as audit
from core import file_access


def record_export(user, account) -> None:
    audit.record("account.data_exported", actor=user, target=account, target_repr="")


def register() -> None:
    file_access.register(
        "data_export", lambda user, account: account.pk == user.pk, as_="candidate", on_read=record_export
    )
