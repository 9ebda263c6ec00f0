"""What the dossiers app asks of the apps above it, without importing them (docs/architecture.md).

``dossiers`` sits below ``documents`` and ``juries``: it declares here what it needs from them,
and they fill it in their ``AppConfig.ready``:

- ``submitted`` (signal, sender: the ``SnapshotKind``; ``dossier``, ``snapshot``, ``actor``): sent
  inside the submission's transaction once the dossier is frozen, so a receiver's rows commit or
  roll back with it. The documents app asks for the submitted dossier's PDF here.
- ``acquired_block_finders``: functions ``(candidate, lineage) -> blocs`` validated for life by
  an earlier decision. The juries app adds its final decisions.
- ``decision_blockers``: functions ``(dossier) -> str`` that say, in French, why the certifier
  may not decide on the dossier yet ("" when nothing blocks). Consulted by the certifier's
  decisions (recevable or non recevable, dossier de validation complete), never by a request
  "à compléter": asking the candidate is how a question gets settled. The messaging app adds
  its staff annotations flagged "à traiter avant décision".
- ``submission_checks``: functions ``(dossier, kind) -> list[Missing]`` (``kind``: a
  ``SnapshotKind``) that add what a submission still waits for, beside the dossier's own
  checklist. The accompaniment app adds the organisation's opinion on an accompanied
  dossier's recevabilité request, and the candidate's acceptance of the planned parcours.
- ``feasibility_parts``: functions ``(dossier) -> dict`` whose keys are frozen, at submission,
  into the dossier de faisabilité (``Snapshot.content["feasibility"]``), beside the sections
  the dossiers app knows. The accompaniment app adds ``"accompanied"``: ``None`` for a
  candidate without accompaniment, else a dict (``organisation``, ``siret``, ``verdict``,
  ``verdict_label``, ``comment``, ``recommendations``, ``given_at``, ``given_by``,
  ``individual_hours``, ``collective_hours``, ``training_hours``, ``mandatory_training``,
  ``basic_skills``, ``commitment``, ``accepted_at``), which ``dossiers.feasibility.readable_sections``
  shows as the accompanied version's section (the PDF, the certifier's review page).

Who reads a dossier's files is asked of ``core.file_access`` (``dossiers.files``).

Until an app registers, no bloc is acquired and no PDF is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.dispatch import Signal

submitted = Signal()

acquired_block_finders: list[Callable[[Any, Any], Iterable[Any]]] = []

decision_blockers: list[Callable[[Any], str]] = []

submission_checks: list[Callable[[Any, str], list[Any]]] = []

feasibility_parts: list[Callable[[Any], dict[str, Any]]] = []


def submission_missing(dossier, kind: str) -> list[Any]:
    """What the registered ``submission_checks`` say a submission of ``kind`` still waits for."""
    return [missing for check in submission_checks for missing in check(dossier, kind)]


def frozen_feasibility_parts(dossier) -> dict[str, Any]:
    """What the registered ``feasibility_parts`` add to the dossier de faisabilité being frozen."""
    parts: dict[str, Any] = {}
    for part in feasibility_parts:
        parts.update(part(dossier))
    return parts


def register(registry: list, function: Callable) -> Callable:
    """Add ``function`` to ``registry`` once (``ready`` may run again in tests)."""
    if function not in registry:
        registry.append(function)
    return function
