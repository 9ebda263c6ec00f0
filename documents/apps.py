from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("documents PDF")

    def ready(self):
        # Imported once the models are loaded (Django's rule for receivers).
        from django.db.models.signals import post_save

        from documents.receivers import request_decision_letter, request_submitted_pdf
        from dossiers import hooks
        from dossiers.models import TransitionLog

        hooks.submitted.connect(request_submitted_pdf, dispatch_uid="documents.request_submitted_pdf")
        post_save.connect(request_decision_letter, sender=TransitionLog, dispatch_uid="documents.decision_letter")
        from documents import files, kinds  # noqa: F401 -- kinds registers the dossier PDFs (documents.registry)

        files.register()  # generated documents in the one door for files (core.file_access)
