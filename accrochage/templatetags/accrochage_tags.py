from django import template

from accrochage import services
from accrochage.models import HolderIdentity, PassageStatus
from accrochage.views import ASK_FROM

register = template.Library()


@register.inclusion_tag("accrochage/_candidate_identity.html")
def cdc_identity(dossier):
    """On the candidate's dossier page: their identity for the CDC and their declaration's status."""
    identity = HolderIdentity.objects.filter(dossier=dossier).first()
    passages = list(dossier.cdc_passages.exclude(status=PassageStatus.CANCELLED).order_by("pk"))
    return {
        "show": identity is not None or dossier.status in ASK_FROM,
        "dossier": dossier,
        "identity": identity,
        "passages": passages,
        "locked": services.identity_locked(dossier),
    }


@register.inclusion_tag("accrochage/_dossier_status.html")
def cdc_status(dossier):
    """On the certifier's dossier page: whether the holder is declared."""
    return {
        "identity": HolderIdentity.objects.filter(dossier=dossier).exists(),
        "passages": list(dossier.cdc_passages.exclude(status=PassageStatus.CANCELLED).order_by("pk")),
    }
