from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers VAE")

    def ready(self):
        from django.db.backends.signals import connection_created

        from core import search
        from dossiers import files

        files.register()  # the candidate's files in the one door (core.file_access)
        # The queue's accent-insensitive search on SQLite (PostgreSQL: migration 0005_queue_indexes).
        connection_created.connect(search.register_sqlite, dispatch_uid="core.search.register_sqlite")
