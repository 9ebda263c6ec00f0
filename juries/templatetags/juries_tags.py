from django import template
from django.db.models import Prefetch

from documents.models import GeneratedDocument
from juries.models import BlockDecision, Decision

register = template.Library()


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
            Prefetch("convocation__documents", queryset=GeneratedDocument.objects.order_by("pk")),
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
