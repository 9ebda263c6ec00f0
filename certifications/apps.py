from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Référentiels de certification")

    def ready(self):
        from certifications.rncp import permissions

        permissions.register_files()  # RNCP uploads in the one door for files (core.file_access)
