"""What a candidate has acquired for life from final jury decisions: the blocs (read by dossiers
when a new dossier starts) and the whole certification, once every bloc is validated (read by
the Open Badges and the declaration to the Caisse des Dépôts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from certifications.models import Block
from juries.enums import JuryResult, MinutesStatus
from juries.models import BlockDecision, Decision

FULL_SUCCESSES = (JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION, JuryResult.FULL_SUCCESS_OF_PARTIAL_CERTIFICATION)


def validated_blocks(candidate, lineage) -> list[Block]:
    """Blocs of any version of the certification ``lineage`` validated for ``candidate`` by a
    final jury decision: a decision in force whose session's procès-verbal is final. A revoked
    decision gives nothing; a bloc validated twice is listed once."""
    return list(
        Block.objects.filter(
            certification__lineage=lineage,
            jury_decisions__validated=True,
            jury_decisions__decision__revoked_at__isnull=True,
            jury_decisions__decision__dossier__candidate=candidate,
            jury_decisions__decision__convocation__session__minutes__status=MinutesStatus.FINAL,
        )
        .distinct()
        .order_by("certification__version", "order")
    )


@dataclass(frozen=True)
class WholeCertification:
    """The whole certification is held: ``decision`` (final, in force) completed it, on the day
    of its jury, ``since``."""

    decision: Decision
    since: dt.date


def _block_key(block: Block) -> tuple[str, object]:
    # Blocs of two versions of a certification match by code, else by order (as
    # ``dossiers.services.acquired_blocks_for`` matches them).
    return ("code", block.code) if block.code else ("order", block.order)


def whole_certification_held(candidate, certification) -> WholeCertification | None:
    """Does ``candidate`` now hold the whole ``certification``, and since when?

    Only final decisions count (in force, procès-verbal final), on any version of the
    certification, in the order of their juries. The whole certification is held from the first
    of them that:
    - validated the whole certification (``FULL_SUCCESS_OF_FULL_CERTIFICATION``); or
    - validated everything it assessed (a full success: no transversal assessment failed) and,
      with the blocs validated for life by the earlier ones, leaves no bloc of ``certification``
      unvalidated (a dossier that targeted only the blocs still missing).
    Later decisions never move the date; None when not held (a certification without blocs is
    held only by a whole-certification result). Revoking the completing decision makes the answer
    change (an earlier one whose blocs it relied on can no longer be revoked once a new dossier
    is opened: ``juries.services.decisions.revoke_decision``)."""
    needed = {_block_key(block) for block in certification.blocks.all()}
    decisions = (
        Decision.objects.filter(
            revoked_at__isnull=True,
            dossier__candidate=candidate,
            dossier__certification__lineage=certification.lineage,
            convocation__session__minutes__status=MinutesStatus.FINAL,
        )
        .select_related("convocation__session")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=BlockDecision.objects.filter(validated=True, block__isnull=False).select_related("block"),
                to_attr="validated_block_items",
            )
        )
        .order_by("convocation__session__starts_at", "pk")
    )
    held: set[tuple[str, object]] = set()
    for decision in decisions:
        held |= {_block_key(item.block) for item in decision.validated_block_items}
        whole = decision.result == JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION
        completes = decision.result in FULL_SUCCESSES and needed and needed <= held
        if whole or completes:
            return WholeCertification(decision, timezone.localdate(decision.convocation.session.starts_at))
    return None
