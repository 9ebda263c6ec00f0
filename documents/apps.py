from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("documents PDF")

    def ready(self):
        from documents import kinds  # noqa: F401 -- registers the dossier PDFs (documents.registry)
