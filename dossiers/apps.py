from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers VAE")

    def ready(self):
        from dossiers import files

        files.register()  # the candidate's files in the one door (core.file_access)
