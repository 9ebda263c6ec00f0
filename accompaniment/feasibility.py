"""The accompanied version of the dossier de faisabilité (arrêté du 3 juillet 2025, Code du travail
R6412-3 al. 1: "le cas échéant, l'avis" of the accompagnateur), as frozen at submission.

``dossiers`` sits below this app: it asks for this section through ``dossiers.hooks.feasibility_parts``
(filled in ``AccompanimentConfig.ready``) and shows it from the snapshot
(``dossiers.feasibility.readable_sections``); the shape of the dict is documented there.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accompaniment.enums import AccompanimentState
from accompaniment.models import Accompaniment, Opinion

# What the candidate declares by accepting the planned parcours: the portal's own wording (the
# arrêté's model asks for the candidate's reading and acceptance; its exact text is not copied
# here, see docs/recevabilite.md). Frozen as shown, so a later rewording leaves submitted
# dossiers unchanged.
COMMITMENT = _(
    "J'ai lu l'avis de mon organisme d'accompagnement et le parcours qu'il prévoit ; je l'accepte et "
    "je m'engage à le suivre."
)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def frozen_section(dossier) -> dict[str, Any]:
    """For ``dossiers.hooks.feasibility_parts``: ``{"accompanied": None}`` for a dossier without
    an accepted accompaniment, else the organisation, its opinion, the planned parcours and the
    candidate's acceptance, as they stand at submission."""
    accompaniment = (
        Accompaniment.objects.filter(dossier=dossier, state=AccompanimentState.ACCEPTED)
        .select_related("organisation", "opinion__given_by")  # one query: a snapshot is built on pages too
        .first()
    )
    if accompaniment is None:
        return {"accompanied": None}
    try:
        opinion = accompaniment.opinion
    except Opinion.DoesNotExist:
        opinion = None
    section: dict[str, Any] = {
        "organisation": accompaniment.organisation.name,
        "siret": accompaniment.organisation.siret,
        "verdict": "",
        "verdict_label": "",
        "comment": "",
        "recommendations": "",
        "given_at": None,
        "given_by": "",
        "individual_hours": None,
        "collective_hours": None,
        "training_hours": None,
        "mandatory_training": "",
        "basic_skills": "",
        "commitment": str(COMMITMENT),
        "accepted_at": None,
    }
    if opinion is not None:
        section.update(
            verdict=opinion.verdict,
            verdict_label=str(opinion.get_verdict_display()),
            comment=opinion.comment,
            recommendations=opinion.recommendations,
            given_at=_iso(opinion.given_at),
            given_by=opinion.given_by.get_full_name() if opinion.given_by else "",
            individual_hours=opinion.individual_hours,
            collective_hours=opinion.collective_hours,
            training_hours=opinion.training_hours,
            mandatory_training=opinion.mandatory_training,
            basic_skills=opinion.basic_skills,
            accepted_at=_iso(opinion.candidate_accepted_at),
        )
    return {"accompanied": section}
