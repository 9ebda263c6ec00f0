"""The certifier's letter on a dossier de faisabilité: recevable, incomplet, non recevable, or
recevable by the certifier's silence (Code du travail L6412-2).

One letter per submitted version (``Snapshot``), asked for when the decision is recorded
(``documents.receivers.request_decision_letter``) and rendered by a worker like every PDF.
What it says comes from the decision's ``TransitionLog`` (who, when, the reason written) and the
frozen version (what was asked, received when): a letter rendered again later says the same.
The candidate reads it on their dossier page, the certifier on the review page, and a dossier
that came from France VAE sends it with the decision (``francevae.receivers``).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.enums import FEASIBILITY_DECISIONS, FeasibilitySection, SnapshotKind
from dossiers.enums import DossierStatus as S
from dossiers.feasibility import deadline, feasibility_of
from dossiers.models import Dossier, Snapshot, TransitionLog


def decided_version(log: TransitionLog) -> Snapshot | None:
    """The submitted version a recorded move decides: the latest demande de recevabilité when
    ``log`` takes the dossier out of « recevabilité demandée » to a decision; None otherwise (or
    for a dossier from before the frozen versions)."""
    if log.from_status != S.FEASIBILITY_SUBMITTED or log.to_status not in FEASIBILITY_DECISIONS:
        return None
    return Snapshot.objects.filter(dossier_id=log.dossier_id, kind=SnapshotKind.FEASIBILITY).order_by("-number").first()


def decision_of(snapshot) -> TransitionLog | None:
    """The certifier's decision on this submitted version: the first move out of « recevabilité
    demandée » recorded after it (None while it waits)."""
    return (
        TransitionLog.objects.filter(
            dossier_id=snapshot.dossier_id,
            from_status=S.FEASIBILITY_SUBMITTED,
            to_status__in=FEASIBILITY_DECISIONS,
            created_at__gte=snapshot.created_at,
        )
        .select_related("actor")
        .order_by("created_at", "pk")
        .first()
    )


def salutation(dossier) -> str:
    """A letter's opening: « Madame, » or « Monsieur, » where the civil identity gives the sex,
    else « Madame, Monsieur, » (the name is in the address block, never glued to the formula)."""
    identity = getattr(dossier, "civil_identity", None) if dossier is not None else None
    sex = getattr(identity, "sex", "")
    return {"F": _("Madame,"), "M": _("Monsieur,")}.get(sex, _("Madame, Monsieur,"))


def _dossier(document) -> Dossier:
    return (
        Dossier.objects.select_related("certification", "candidate", "civil_identity")
        .prefetch_related("certification__certifiers")
        .get(pk=document.dossier_id)
    )


def feasibility_decision_context(document) -> dict:
    snapshot = document.snapshot
    decision = decision_of(snapshot)
    if decision is None:
        raise ValueError(f"no decision on feasibility snapshot {snapshot.pk} yet")
    dossier = _dossier(document)
    content = snapshot.content or {}
    asked = content.get("feasibility") or {}
    received = timezone.localtime(snapshot.created_at)
    sections = []
    if decision.to_status == S.FEASIBILITY_INCOMPLETE and dossier.status == S.FEASIBILITY_INCOMPLETE:
        # Still the open request: the sections the certifier pointed at (cleared when it is sent again).
        labels = dict(FeasibilitySection.choices)
        sections = [str(labels[s]) for s in feasibility_of(dossier).sections_to_complete if s in labels]
    return {
        "document": document,
        "dossier": dossier,
        "snapshot": snapshot,
        "decision": decision,
        "implicit": decision.to_status == S.ADMISSIBLE and decision.actor_id is None,
        "received_at": received,
        "deadline": timezone.localtime(deadline(snapshot.created_at)),
        "candidate": dossier.candidate,
        "certification": dossier.certification,
        "certifiers": list(dossier.certification.certifiers.all()),
        "targets_all_blocks": content.get("targets_all_blocks", dossier.targets_all_blocks),
        "blocks": asked.get("blocks") or content.get("blocks") or [],
        "address": asked.get("address") or {},
        "sections": sections,
        "salutation": salutation(dossier),
        "created": timezone.localtime(decision.created_at),  # the letter's date: the decision's
        "content": {"certification": content.get("certification") or {}},
        "title": _("Décision sur votre demande de recevabilité"),
        "author": _("Certificateur"),
    }
