from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    FEASIBILITY_SUBMITTED = "feasibility_submitted", _("recevabilité demandée")
    FEASIBILITY_INCOMPLETE = "feasibility_incomplete", _("recevabilité à compléter")
    INADMISSIBLE = "inadmissible", _("non recevable")
    ADMISSIBLE = "admissible", _("recevable : dossier de validation en cours")
    VALIDATION_SUBMITTED = "validation_submitted", _("dossier de validation déposé")
    VALIDATION_INCOMPLETE = "validation_incomplete", _("dossier de validation à compléter")
    READY_FOR_JURY = "ready_for_jury", _("en attente de jury")
    SCHEDULED = "scheduled", _("convoqué(e) à un jury")
    DECIDED = "decided", _("décision rendue")
    WITHDRAWN = "withdrawn", _("abandon")


class ExperienceKind(models.TextChoices):
    EMPLOYEE = "employee", _("salarié")
    VOLUNTEER = "volunteer", _("bénévole")
    SELF_EMPLOYED = "self_employed", _("indépendant")
    CIVIC_SERVICE = "civic_service", _("volontaire")
    INTERNSHIP = "internship", _("stage")
    MANDATE = "mandate", _("mandat électif ou syndical")
    OTHER = "other", _("autre")


class SelfAssessment(models.TextChoices):
    YES = "yes", _("oui")
    PARTLY = "partly", _("partiellement")
    NO = "no", _("non")


class ProofKind(models.TextChoices):
    ATTESTATION = "attestation", _("attestation")
    PRODUCTION = "production", _("production")
    PHOTO = "photo", _("photo")
    WORK_DOCUMENT = "work_document", _("document de travail")
    OTHER = "other", _("autre")


class SnapshotKind(models.TextChoices):
    FEASIBILITY = "feasibility", _("demande de recevabilité")
    VALIDATION = "validation", _("dossier de validation")


class StatementState(models.TextChoices):
    EMPTY = "empty", _("vide")
    IN_PROGRESS = "in_progress", _("en cours")
    COMPLETE = "complete", _("complète")


class ScanStatus(models.TextChoices):
    """Where an uploaded file stands with the antivirus (dossiers.scanning)."""

    NOT_SCANNED = "not_scanned", _("non analysé (pas d'antivirus configuré)")
    PENDING = "pending", _("analyse antivirus en cours")
    CLEAN = "clean", _("analysé, sain")
    INFECTED = "infected", _("infecté : mis en quarantaine")
    FAILED = "failed", _("analyse antivirus impossible")
