from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Jurys")

    def ready(self):
        # What the dossiers app asks of the juries (dossiers.hooks), imported once the models are loaded.
        from dossiers import hooks
        from juries.acquired import validated_blocks
        from juries.permissions import jury_reads_dossier

        hooks.register(hooks.file_readers, jury_reads_dossier)
        hooks.register(hooks.acquired_block_finders, validated_blocks)
        from juries import documents  # noqa: F401 -- registers the jury's PDFs (documents.registry)
