from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Open Badges")

    def ready(self):
        from django.db.models.signals import post_save

        from credentials import receivers
        from juries.models import Decision, Minutes

        post_save.connect(receivers.on_minutes, sender=Minutes, dispatch_uid="credentials.minutes_final")
        post_save.connect(receivers.on_decision, sender=Decision, dispatch_uid="credentials.decision_revoked")
