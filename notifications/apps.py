from django.apps import AppConfig
from django.db.models.signals import post_save


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from dossiers.models import TransitionLog
        from juries.models import Evaluation, Minutes
        from juries.signals import convocation_issued
        from notifications import receivers

        post_save.connect(receivers.transition_logged, sender=TransitionLog, dispatch_uid="notifications.transition")
        post_save.connect(receivers.evaluation_saved, sender=Evaluation, dispatch_uid="notifications.evaluation")
        post_save.connect(receivers.minutes_saved, sender=Minutes, dispatch_uid="notifications.minutes")
        convocation_issued.connect(receivers.convocation_issued, dispatch_uid="notifications.convocation")
