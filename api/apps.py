from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API d'interopérabilité")

    def ready(self):
        from django.db.models.signals import post_save

        from api import files, receivers
        from dossiers.models import TransitionLog
        from juries.models import Convocation, Minutes

        post_save.connect(receivers.on_transition, sender=TransitionLog, dispatch_uid="api.webhooks.transition")
        post_save.connect(receivers.on_convocation, sender=Convocation, dispatch_uid="api.webhooks.convocation")
        post_save.connect(receivers.on_minutes, sender=Minutes, dispatch_uid="api.webhooks.minutes")
        files.register()  # the API's reads in the one door for files (core.file_access)
