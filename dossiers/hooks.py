"""What the dossiers app asks of the apps above it, without importing them (docs/architecture.md).

``dossiers`` sits below ``documents`` and ``juries``: it declares here what it needs from them,
and they fill it in their ``AppConfig.ready``:

- ``submitted`` (signal, sender: the ``SnapshotKind``; ``dossier``, ``snapshot``, ``actor``): sent
  inside the submission's transaction once the dossier is frozen, so a receiver's rows commit or
  roll back with it. The documents app asks for the submitted dossier's PDF here.
- ``file_readers``: predicates ``(user, dossier) -> bool``; besides the candidate, who reads a
  dossier's files. The juries app adds its members who declared no link with the candidate.
- ``acquired_block_finders``: functions ``(candidate, lineage) -> blocs`` validated for life by
  an earlier decision. The juries app adds its final decisions.

Until an app registers, nobody else reads the files, no bloc is acquired and no PDF is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.dispatch import Signal

submitted = Signal()

file_readers: list[Callable[[Any, Any], bool]] = []
acquired_block_finders: list[Callable[[Any, Any], Iterable[Any]]] = []


def register(registry: list, function: Callable) -> Callable:
    """Add ``function`` to ``registry`` once (``ready`` may run again in tests)."""
    if function not in registry:
        registry.append(function)
    return function
