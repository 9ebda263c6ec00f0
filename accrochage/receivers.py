"""A revoked jury decision withdraws its holder's declaration (``post_save`` of ``Decision``,
connected in ``AccrochageConfig.ready``), in the revocation's transaction."""


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
