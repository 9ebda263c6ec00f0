from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("documents PDF")

    def ready(self):
        # Imported once the models are loaded (Django's rule for receivers).
        from documents.receivers import request_submitted_pdf
        from dossiers import hooks

        hooks.submitted.connect(request_submitted_pdf, dispatch_uid="documents.request_submitted_pdf")
        from documents import files, kinds  # noqa: F401 -- kinds registers the dossier PDFs (documents.registry)

        files.register()  # generated documents in the one door for files (core.file_access)
