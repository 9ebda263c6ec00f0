from django import template
from django.db.models import Prefetch

from certifications.models import Certifier
from documents.models import GeneratedDocument
from dossiers.enums import DossierStatus as S
from juries.enums import JuryDocumentKind
from juries.models import BlockDecision, Convocation, Decision

register = template.Library()

# The states in which a dossier may have convocations (live, cancelled or past).
JURY_STAGE = {S.READY_FOR_JURY, S.SCHEDULED, S.DECIDED, S.WITHDRAWN}


@register.inclusion_tag("juries/_candidate_result.html")
def candidate_result(dossier):
    """The jury's result on the candidate's dossier page: shown once the procès-verbal is final
    (decision per bloc, préconisations, letter and attestation); a revoked decision says so."""
    decisions = list(
        Decision.objects.filter(dossier=dossier)
        .select_related("convocation__session__minutes")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=BlockDecision.objects.select_related("block", "assessment_method").prefetch_related(
                    "competencies_to_prove"
                ),
            ),
            Prefetch(
                "convocation__documents",
                queryset=GeneratedDocument.objects.filter(
                    kind__in=[JuryDocumentKind.DECISION_LETTER, JuryDocumentKind.ATTESTATION]
                ).order_by("pk"),
            ),
        )
        .order_by("-decided_at", "-pk")
    )
    current = next((d for d in decisions if d.in_force), None)
    minutes = getattr(current.convocation.session, "minutes", None) if current else None
    return {
        "decision": current if minutes is not None and minutes.is_final else None,
        "pending": current is not None and (minutes is None or not minutes.is_final),
        "revoked": [d for d in decisions if not d.in_force],
    }


@register.inclusion_tag("juries/_candidate_convocations.html")
def candidate_convocations(dossier):
    """The candidate's convocations on their dossier page: the live one (date, slot, place or
    video link, instructions, what to bring, whom to contact, the PDF and the calendar file),
    and the cancelled ones with their notice. Nothing once the jury has decided (the result
    section takes over)."""
    if dossier.status not in JURY_STAGE:  # never convoked yet: no query
        return {"dossier": dossier, "live": None, "document": None, "cancelled": [], "certifiers": []}
    convocations = list(
        Convocation.objects.filter(dossier=dossier)
        .select_related("session__certification")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=GeneratedDocument.objects.filter(kind=JuryDocumentKind.CONVOCATION),
                to_attr="convocation_documents",
            )
        )
        .order_by("-starts_at", "-pk")
    )
    live = next((c for c in convocations if c.is_live), None)
    if live is not None and live.decisions.exists():
        live = None
    return {
        "dossier": dossier,
        "live": live,
        "document": live.convocation_documents[0] if live and live.convocation_documents else None,
        "cancelled": [c for c in convocations if not c.is_live],
        "certifiers": list(Certifier.objects.filter(certifications=dossier.certification_id).order_by("legal_name"))
        if live
        else [],
    }
