from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messagerie des dossiers")

    def ready(self):
        from dossiers import hooks, scanning
        from messaging import files, services
        from messaging.models import MessageAttachment

        files.register()  # attachments in the one door for files (core.file_access)
        scanning.register_kind(
            services.ATTACHMENT,
            scanning.FileFields(
                MessageAttachment,
                "file",
                "scan_status",
                "scan_detail",
                "scan_updated_at",
                dossier_of=lambda attachment: attachment.message.dossier,
                quarantined_action="message_attachment.quarantined",
            ),
        )
        hooks.register(hooks.decision_blockers, services.decision_blocker)
