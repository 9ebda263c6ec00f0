from django import template

from credentials.models import Badge
from dossiers.enums import DossierStatus

register = template.Library()


@register.inclusion_tag("credentials/_candidate_badges.html")
def candidate_badges(dossier):
    """The holder's Open Badges on their dossier page: files and the public verification link.
    Only a decided dossier has badges (no query otherwise); after a revocation the verification
    link, shared or not, says « révoqué »."""
    if dossier.status != DossierStatus.DECIDED:
        return {"badges": []}
    badges = list(
        Badge.objects.filter(decision__dossier=dossier, candidate_id=dossier.candidate_id)
        .select_related("block", "decision__convocation__session")
        .order_by("-decision__decided_at", "block__order", "pk")
    )
    return {"badges": badges}
