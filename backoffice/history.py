"""Reading a dossier's history: every row that tells who did what to it, newest first.

Four sources, each already written in the transaction of its change: the transitions
(``TransitionLog``: state, actor, motif), the versions submitted (``Snapshot``: number and
SHA-256), the audit trail (``AuditEvent``: the candidate's writes, later the jury's decisions)
and the Django admin's own log (``LogEntry``: an admin editing the dossier by hand). A constant
number of queries, whatever the length of the history.

It reads dossiers and certifications, so it lives in the back office that shows it, not in
``audit`` (below both: every app writes its trail there).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from audit.actions import FIELD_LABELS
from audit.models import AuditEvent
from certifications.models import Competency
from core.text import shorten
from dossiers.models import Proof
from dossiers.permissions import submitted_proof_ids


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def is_set(self) -> bool:
        return bool(self.added or self.removed)


@dataclass
class Entry:
    at: dt.datetime
    actor: Any
    kind: str  # transition, snapshot, event, admin
    title: str
    subject: str = ""
    changes: list[Change] = field(default_factory=list)
    comment: str = ""
    saves: int = 1
    until: dt.datetime | None = None


def _field(target_type: str, key: str):
    """The model field ``key`` of ``target_type`` ("dossiers.proof"), or None."""
    try:
        return apps.get_model(target_type)._meta.get_field(key) if target_type else None
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _text(value: Any, choices: dict | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dict) and "chars" in value:
        return _("%(n)s caractères") % {"n": value["chars"]}
    if choices and value in choices:
        return str(choices[value])
    return str(value)


def _changes(event: AuditEvent, names: dict[str, dict[int, str]]) -> list[Change]:
    result = []
    for key, pair in sorted(event.changes.items()):
        if not (isinstance(pair, list) and len(pair) == 2):
            continue
        before, after = pair
        model_field = _field(event.target_type, key)
        label = str(FIELD_LABELS.get(key) or getattr(model_field, "verbose_name", key))
        choices = dict(model_field.flatchoices) if getattr(model_field, "choices", None) else None
        if isinstance(before, list) or isinstance(after, list):
            old, new = set(before or []), set(after or [])
            known = names.get(key, {})
            result.append(
                Change(
                    label,
                    added=[known.get(i, f"n°{i}") for i in sorted(new - old)],
                    removed=[known.get(i, f"n°{i}") for i in sorted(old - new)],
                )
            )
        else:
            result.append(Change(label, before=_text(before, choices), after=_text(after, choices)))
    return result


def dossier_history(dossier) -> list[Entry]:
    """The history, for the dossier's certifiers and admins. A proof the candidate has not
    submitted (``dossiers.permissions.submitted_proof_ids``) shows as an event without its
    title, file name, size or fingerprint: its details appear once it is submitted."""

    submitted = submitted_proof_ids(dossier)
    unsubmitted = _("preuve non déposée")
    entries: list[Entry] = []
    for t in dossier.transitions.select_related("actor"):
        title = (
            _("Dossier créé")
            if t.from_status == t.to_status
            else _("%(from)s → %(to)s") % {"from": t.get_from_status_display(), "to": t.get_to_status_display()}
        )
        comment = "" if t.comment == title else t.comment
        entries.append(Entry(t.created_at, t.actor, "transition", title, comment=comment))
    for s in dossier.snapshots.defer("content").select_related("created_by"):
        entries.append(
            Entry(
                s.created_at,
                s.created_by,
                "snapshot",
                _("%(kind)s : version n°%(n)s figée") % {"kind": s.get_kind_display(), "n": s.number},
                subject=f"SHA-256 {s.sha256}",
            )
        )
    names = {
        "proofs": {
            pk: title if pk in submitted else unsubmitted
            for pk, title in Proof.objects.filter(dossier=dossier).values_list("pk", "title")
        },
        "experiences": {e.pk: str(e) for e in dossier.experiences.all()},
        "competencies": {
            c.pk: f"{c.code} {shorten(c.text, 60)}".strip()
            for c in Competency.objects.filter(block__certification_id=dossier.certification_id)
        },
    }
    for e in dossier.audit_events.select_related("actor"):
        hidden = e.target_type == "dossiers.proof" and e.target_id not in submitted
        entries.append(
            Entry(
                e.created_at,
                e.actor,
                "event",
                e.label,
                subject=unsubmitted if hidden else e.target_repr,
                changes=[] if hidden else _changes(e, names),
                comment=e.comment,
                saves=e.saves,
                until=e.updated_at if e.saves > 1 else None,
            )
        )
    dossier_type = ContentType.objects.get_for_model(type(dossier))
    for log in LogEntry.objects.filter(content_type=dossier_type, object_id=str(dossier.pk)).select_related("user"):
        entries.append(
            Entry(
                log.action_time,
                log.user,
                "admin",
                _("Modifié dans l'administration"),
                comment=log.get_change_message(),
            )
        )
    entries.sort(key=lambda entry: entry.until or entry.at, reverse=True)
    return entries
