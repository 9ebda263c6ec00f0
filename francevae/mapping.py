"""The portal's values ↔ France VAE's (docs/france-vae.md, « Correspondances »)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dossiers.enums import DossierStatus as S
from juries.enums import JuryResult as R

FEASIBILITY_DECISIONS = {
    S.ADMISSIBLE: "RECEVABLE",
    S.FEASIBILITY_INCOMPLETE: "INCOMPLET",
    S.INADMISSIBLE: "IRRECEVABLE",
}
VALIDATION_DECISIONS = {
    S.READY_FOR_JURY: "VERIFIE",
    S.VALIDATION_INCOMPLETE: "SIGNALE",
}
# SUCCES_TOTAL_CERTIFICATION_COMPLETE_SOUS_RESERVE is never sent: the portal's jury has no
# « sous réserve » result.
JURY_RESULTS = {
    R.FULL_SUCCESS_OF_FULL_CERTIFICATION: "SUCCES_TOTAL_CERTIFICATION_COMPLETE",
    R.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION: "SUCCES_PARTIEL_CERTIFICATION_COMPLETE",
    R.FULL_SUCCESS_OF_PARTIAL_CERTIFICATION: "SUCCES_TOTAL_CERTIFICATION_PARTIELLE",
    R.PARTIAL_SUCCESS_OF_PARTIAL_CERTIFICATION: "SUCCES_PARTIEL_CERTIFICATION_PARTIELLE",
    R.FAILURE: "ECHEC",
    R.CANDIDATE_EXCUSED: "CANDIDAT_EXCUSE",
    R.CANDIDATE_ABSENT: "CANDIDAT_ABSENT",
}


def result_fields(decision) -> dict[str, str]:
    """France VAE carries no bloc: the blocs the jury validated are written in the comment."""
    acquired = [item.block for item in decision.items.all() if item.validated and item.block is not None]
    lines = []
    if acquired:
        lines.append(_("Blocs acquis : %(b)s.") % {"b": " ; ".join(f"{b.label} — {b.title}" for b in acquired)})
    if decision.comment:
        lines.append(decision.comment)
    fields = {"resultat": JURY_RESULTS[decision.result]}
    if lines:
        fields["commentaire"] = "\n".join(lines)
    return fields
