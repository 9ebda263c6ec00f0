"""Writing the audit trail. ``record()`` is the one call, made by a service inside its own
transaction, so that a change and its row are committed (or rolled back) together.

Rules:
- the actor is passed by the service, which knows it (a view's ``request.user``, the candidate
  owning the dossier for the candidate's writes); ``None`` means the system (a command, a task);
- ``changes`` is ``{field: [before, after]}``, built with ``values()`` and ``diff()``. Free texts
  (narratives, activities, descriptions) and any text longer than ``LONG_TEXT`` are summarised
  as their length and SHA-256: the text lives in the dossier, and each submission freezes it in
  a ``Snapshot``; the trail proves which text was there without keeping a copy of every draft;
- ``coalesce``: a save repeating the latest event of its dossier (same action, object and actor,
  within the window, nothing else recorded in between and no state change of the dossier since)
  extends that row (``saves`` + 1, ``updated_at``, the first "before" and the latest "after")
  instead of adding one. Autosave sends a statement every second or so while the candidate
  types: without this, an hour of writing would be thousands of rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from audit.models import AuditEvent

LONG_TEXT = 200


def text_summary(text: str) -> dict[str, Any]:
    if not text:
        return {"chars": 0}
    return {"chars": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()}


def summarize(value: Any, *, text: bool = False) -> Any:
    """A JSON-ready, compact form of a field's value."""
    if isinstance(value, str):
        return text_summary(value) if text or len(value) > LONG_TEXT else value
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):  # 20, 20.0 and 20.00 are one value
        return format(value.normalize(), "f")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [summarize(v) for v in value]
    if isinstance(value, dict):
        return summarize(json.dumps(value, ensure_ascii=False, sort_keys=True), text=text)
    return str(value)


def values(obj: Model, fields: Iterable[str], texts: Iterable[str] = ()) -> dict[str, Any]:
    """``fields`` of ``obj`` summarised; those in ``texts`` always as length and SHA-256."""
    texts = set(texts)
    return {f: summarize(getattr(obj, f), text=f in texts) for f in fields}


def ids(objects: Iterable[Model]) -> list[int]:
    return sorted(o.pk for o in objects)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """``{field: [before, after]}`` for every field whose value differs."""
    return {k: [before.get(k), after.get(k)] for k in {**before, **after} if before.get(k) != after.get(k)}


EMPTY: tuple[Any, ...] = (None, "", [], {"chars": 0})


def created(after: dict[str, Any]) -> dict[str, list]:
    """The changes of a new object: its non-empty values, each from ``None``."""
    return {k: [None, v] for k, v in after.items() if v not in EMPTY}


def deleted(before: dict[str, Any]) -> dict[str, list]:
    """The changes of a deleted object: its non-empty values, each to ``None``."""
    return {k: [v, None] for k, v in before.items() if v not in EMPTY}


def _merge(older: dict[str, list], newer: dict[str, list]) -> dict[str, list]:
    merged = dict(older)
    for key, (before, after) in newer.items():
        merged[key] = [merged[key][0] if key in merged else before, after]
    return {k: v for k, v in merged.items() if v[0] != v[1]}


def _target(target: Model | None) -> dict[str, Any]:
    if target is None:
        return {"target_type": "", "target_id": None}
    return {"target_type": target._meta.label_lower, "target_id": target.pk}


def record(
    action: str,
    *,
    actor,
    target: Model | None = None,
    target_repr: str | None = None,
    dossier=None,
    certification=None,
    changes: dict[str, list] | None = None,
    comment: str = "",
    coalesce: dt.timedelta | None = None,
) -> AuditEvent:
    """Write (or extend, with ``coalesce``) one row of the audit trail; returns it.

    ``dossier`` and ``certification`` say whose history the row belongs to; ``target`` is the
    object changed (a proof, a bloc…), ``target_repr`` its label (``str(target)`` by default).
    """
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    where = _target(target)
    changes = changes or {}
    if coalesce and dossier is not None:
        last = AuditEvent.objects.filter(dossier=dossier).order_by("-pk").first()
        if (
            last is not None
            and last.action == action
            and last.actor_id == actor_id
            and last.target_type == where["target_type"]
            and last.target_id == where["target_id"]
            and not comment
            and now - last.updated_at <= coalesce
            and (dossier.updated_at is None or last.updated_at >= dossier.updated_at)
        ):
            last.changes = _merge(last.changes, changes)
            last.saves += 1
            last.updated_at = now
            last.save(update_fields=["changes", "saves", "updated_at"])
            return last
    if target_repr is None:
        target_repr = str(target) if target is not None else ""
    return AuditEvent.objects.create(
        created_at=now,
        updated_at=now,
        actor_id=actor_id,
        action=action,
        dossier=dossier,
        certification=certification,
        target_repr=target_repr[:255],
        changes=changes,
        comment=comment,
        **where,
    )
