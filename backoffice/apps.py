from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Espace certificateur")

    def ready(self):
        from backoffice import files

        files.register()  # the certifier's reads in the one door for files (core.file_access)
