from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    PUBLISHED = "published", _("publiée")
    ARCHIVED = "archived", _("archivée")


class AssessmentKind(models.TextChoices):
    PROFESSIONAL_THESIS = "professional_thesis", _("mémoire professionnel")
    PRACTICAL_SITUATION = "practical_situation", _("mise en situation")
    CASE_STUDY = "case_study", _("étude de cas")
    ORAL_EXAM = "oral_exam", _("épreuve orale")
    WRITTEN_EXAM = "written_exam", _("épreuve écrite")
    ROLE_PLAY = "role_play", _("jeu de rôle")
    REFLECTIVE_ANALYSIS = "reflective_analysis", _("analyse réflexive")
    ENGLISH_TEST = "english_test", _("épreuve d'anglais")
    PORTFOLIO = "portfolio", _("dossier professionnel")
    INTERVIEW = "interview", _("entretien avec le jury")
    OTHER = "other", _("autre")


class AccessRoute(models.TextChoices):
    """Which access routes to the certification an assessment applies to. The portal serves
    the VAE route: an assessment of the training route only is never assessed here."""

    ALL = "all", _("toutes les voies d'accès")
    TRAINING = "training", _("voie de la formation seulement")
    VAE = "vae", _("voie de la VAE seulement")


class RncpStatus(models.TextChoices):
    """Whether the register lists the fiche as active; empty when not imported from the RNCP."""

    ACTIVE = "active", _("active au RNCP")
    INACTIVE = "inactive", _("inactive au RNCP")


class RncpUploadStatus(models.TextChoices):
    """Where the reading of an uploaded RNCP flux stands (done by a worker)."""

    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en cours")
    READY = "ready", _("prêt")
    FAILED = "failed", _("échec")


class JuryRole(models.TextChoices):
    PRESIDENT = "president", _("président")
    PROFESSIONAL = "professional", _("professionnel du secteur")
    TRAINER = "trainer", _("formateur")
    CERTIFIER_REPRESENTATIVE = "certifier_representative", _("représentant du certificateur")
    RESOURCE_PERSON = "resource_person", _("personne ressource")


# Plural labels, for the composition check ("il manque 2 professionnels du secteur").
ROLE_PLURALS = {
    JuryRole.PRESIDENT: _("présidents"),
    JuryRole.PROFESSIONAL: _("professionnels du secteur"),
    JuryRole.TRAINER: _("formateurs"),
    JuryRole.CERTIFIER_REPRESENTATIVE: _("représentants du certificateur"),
    JuryRole.RESOURCE_PERSON: _("personnes ressources"),
}
