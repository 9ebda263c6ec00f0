from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccompanimentConfig(AppConfig):
    name = "accompaniment"
    verbose_name = _("Accompagnement VAE")

    def ready(self):
        from accompaniment import feasibility, files, services
        from dossiers import hooks

        files.register()  # the accompagnateur's reads in the one door for files (core.file_access)
        # An accompanied dossier's recevabilité request waits for the organisation's opinion and
        # the candidate's acceptance of the planned parcours; both are frozen with the request.
        hooks.register(hooks.submission_checks, services.missing_opinion)
        hooks.register(hooks.feasibility_parts, feasibility.frozen_section)
