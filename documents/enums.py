from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    VALIDATION = "validation", _("dossier de validation")
    FEASIBILITY = "feasibility", _("demande de recevabilité")
    PREVIEW = "preview", _("aperçu du brouillon")
    FEASIBILITY_DECISION = "feasibility_decision", _("décision de recevabilité")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en cours de génération")
    DONE = "done", _("prêt")
    FAILED = "failed", _("échec")
