"""Where the declaration hears of the jury (``post_save`` receivers connected in
``AccrochageConfig.ready``):

- a procès-verbal saved as final: its session's new holders get their passage once the
  transaction commits (a failure is logged; the next flux, or the certifier's « Rechercher les
  nouveaux titulaires », catches up);
- a revoked jury decision withdraws its holder's declaration, in the revocation's transaction.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def record_session(session_id: int) -> None:
    from accrochage import services

    try:
        services.record_session(session_id)
    except Exception:
        logger.exception("Could not record the CDC passages of session %s", session_id)


def on_minutes(sender, instance, created, raw=False, update_fields=None, **kwargs):
    from juries.enums import MinutesStatus

    if raw or instance.status != MinutesStatus.FINAL:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    session_id = instance.session_id
    transaction.on_commit(lambda: record_session(session_id))


def on_decision(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or instance.revoked_at is None:
        return
    if update_fields is not None and "revoked_at" not in update_fields:
        return
    from accrochage import services

    services.withdraw_for_decision(instance)


def on_audit_event(sender, instance, created, raw=False, **kwargs):
    """A dossier's content erased at its candidate's request (``dossier.erased``): their civil
    identity goes too, unless it was sent to the CDC (the declaration, and any withdrawal of it,
    must still name the holder)."""
    if raw or not created or instance.action != "dossier.erased" or instance.dossier_id is None:
        return
    from accrochage.models import PassageStatus
    from dossiers.models import CivilIdentity

    CivilIdentity.objects.filter(dossier_id=instance.dossier_id).exclude(
        dossier__cdc_passages__status__in=[PassageStatus.SENT, PassageStatus.DECLARED]
    ).delete()
