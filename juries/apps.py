from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Jurys")

    def ready(self):
        # What the dossiers app asks of the juries (dossiers.hooks), imported once the models are loaded.
        from dossiers import hooks
        from juries import files
        from juries.acquired import validated_blocks

        files.register()  # the jury's reads in the one door for files (core.file_access)
        hooks.register(hooks.acquired_block_finders, validated_blocks)
        from juries import documents  # registers the jury's PDFs (documents.registry)
        from juries.signals import convocation_cancelled, convocation_issued

        convocation_issued.connect(documents.render_convocation, dispatch_uid="juries.render_convocation")
        convocation_cancelled.connect(documents.render_convocation, dispatch_uid="juries.render_cancelled_convocation")
