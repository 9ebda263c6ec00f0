from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Jurys")

    def ready(self):
        from juries import documents  # noqa: F401 -- registers the jury's PDFs (documents.registry)
