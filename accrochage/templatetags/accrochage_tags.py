from django import template

from accrochage.models import PassageStatus
from accrochage.views import ASK_FROM
from dossiers.enums import DossierStatus
from dossiers.models import CivilIdentity

register = template.Library()
JURY_STAGE = {DossierStatus.READY_FOR_JURY, DossierStatus.SCHEDULED, DossierStatus.DECIDED}


@register.inclusion_tag("accrochage/_candidate_identity.html")
def cdc_identity(dossier):
    """On the candidate's dossier page, from the dossier de validation on: their identity for the
    CDC and their declaration's status (no query before that stage)."""
    if dossier.status not in ASK_FROM:
        return {"show": False}
    identity = CivilIdentity.objects.filter(dossier=dossier).first()
    passages = list(dossier.cdc_passages.exclude(status=PassageStatus.CANCELLED).order_by("pk"))
    return {
        "show": True,
        "dossier": dossier,
        "identity": identity,
        "passages": passages,
        "locked": any(p.status in (PassageStatus.SENT, PassageStatus.DECLARED) for p in passages),
    }


@register.inclusion_tag("accrochage/_dossier_status.html")
def cdc_status(dossier):
    """On the certifier's dossier page, from the jury's approach on (where a revoked decision
    brings the dossier back too): whether the holder gave their identity and is declared."""
    if dossier.status not in JURY_STAGE:
        return {"show": False}
    return {
        "show": True,
        "identity": CivilIdentity.objects.filter(dossier=dossier).exclude(birth_city="").exists(),
        "passages": list(dossier.cdc_passages.exclude(status=PassageStatus.CANCELLED).order_by("pk")),
    }
