"""Blocs a candidate has validated, for life: read by dossiers when a new dossier starts."""

from __future__ import annotations


def validated_blocks(candidate, lineage) -> list:
    """Blocs of any version of the certification ``lineage`` validated for ``candidate`` by a
    final jury decision.

    Jury decisions arrive with the jury app's deliberation models; until they exist there is
    no decision to read, so nothing is acquired.
    """
    return []
