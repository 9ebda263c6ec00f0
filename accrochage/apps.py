from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccrochageConfig(AppConfig):
    name = "accrochage"
    verbose_name = _("Déclaration des titulaires à la Caisse des Dépôts")

    def ready(self):
        from django.db.models.signals import post_save

        from accrochage import files, receivers
        from audit.models import AuditEvent
        from juries.models import Decision, Minutes

        files.register()
        post_save.connect(receivers.on_minutes, sender=Minutes, dispatch_uid="accrochage.minutes_final")
        post_save.connect(receivers.on_decision, sender=Decision, dispatch_uid="accrochage.decision_revoked")
        post_save.connect(receivers.on_audit_event, sender=AuditEvent, dispatch_uid="accrochage.dossier_erased")
