"""Blocs a candidate has validated, for life: read by dossiers when a new dossier starts."""

from __future__ import annotations

from certifications.models import Block
from juries.enums import MinutesStatus


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
