from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IN = "in", _("reçu de France VAE")
    OUT = "out", _("envoyé à France VAE")


class MessageKind(models.TextChoices):
    FEASIBILITY_DECISION = "feasibility_decision", _("décision de recevabilité")
    VALIDATION_DECISION = "validation_decision", _("décision sur le dossier de validation")
    JURY_SESSION = "jury_session", _("session de jury")
    JURY_RESULT = "jury_result", _("résultat du jury")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("refusé par France VAE")
    CANCELLED = "cancelled", _("annulé avant l'envoi")


class DocumentKind(models.TextChoices):
    FEASIBILITY = "feasibility", _("dossier de faisabilité")
    VALIDATION = "validation", _("dossier de validation")
