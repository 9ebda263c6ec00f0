"""One kind of domain error.

A service refuses an action by raising a subclass of :class:`DomainError` whose message is a
French sentence the user can act on. Views never build these messages themselves: they call the
service through :mod:`core.actions`, which turns any ``DomainError`` into a message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A refused action; ``str(error)`` is shown to the user as it is."""


def error_text(exc: Exception) -> str:
    """The French sentence(s) to show for a refusal (a domain error or a model validation)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
