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
    SCHEDULED = "scheduled", _("jury programmé")
    DECIDED = "decided", _("décision rendue")
    WITHDRAWN = "withdrawn", _("abandon")


# The certifier's decisions on a demande de recevabilité (by them, or by their silence).
FEASIBILITY_DECISIONS = frozenset(
    {DossierStatus.ADMISSIBLE, DossierStatus.FEASIBILITY_INCOMPLETE, DossierStatus.INADMISSIBLE}
)


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


# --- The dossier de faisabilité (arrêté du 3 juillet 2025; docs/recevabilite.md) -------------


class RequestNature(models.TextChoices):
    FIRST = "first", _("première demande")
    RENEWAL = "renewal", _("renouvellement d'une recevabilité (le référentiel de la certification a changé)")


class Gender(models.TextChoices):
    """The civil identity's sex, as the CDC's flux names it (F/M) and the dossier asks it."""

    F = "F", _("féminin")
    M = "M", _("masculin")


class QualificationLevel(models.TextChoices):
    """Levels of the national qualifications framework (décret n° 2019-14), 2 to 8."""

    NONE = "none", _("aucun diplôme ni certification")
    L2 = "2", _("niveau 2 (CléA)")
    L3 = "3", _("niveau 3 (CAP, BEP)")
    L4 = "4", _("niveau 4 (baccalauréat)")
    L5 = "5", _("niveau 5 (bac + 2 : BTS, DEUST)")
    L6 = "6", _("niveau 6 (bac + 3 ou 4 : licence, BUT)")
    L7 = "7", _("niveau 7 (bac + 5 : master)")
    L8 = "8", _("niveau 8 (doctorat)")


class CandidateStatus(models.TextChoices):
    """The candidate's situation: the model's nine values (France VAE's candidacy typology)."""

    PRIVATE_EMPLOYEE = "private_employee", _("salarié du secteur privé")
    PUBLIC_EMPLOYEE = "public_employee", _("agent de la fonction publique")
    JOB_SEEKER = "job_seeker", _("demandeur d'emploi")
    SELF_EMPLOYED = "self_employed", _("travailleur non salarié")
    VOLUNTEER = "volunteer", _("bénévole")
    FAMILY_CAREGIVER = "family_caregiver", _("aidant familial")
    AGRICULTURAL_CAREGIVER = "agricultural_caregiver", _("aidant familial agricole")
    ELECTED = "elected", _("titulaire d'un mandat électif ou syndical")
    OTHER = "other", _("autre situation")


# Statuses whose employer applies a convention collective: the IDCC is asked.
STATUSES_WITH_IDCC = {CandidateStatus.PRIVATE_EMPLOYEE}


class Objective(models.TextChoices):
    """The candidate's objectives: the model's seven; two are chosen."""

    KEEP_JOB = "keep_job", _("sécuriser mon emploi actuel")
    PROGRESS = "progress", _("évoluer dans mon emploi ou obtenir une promotion")
    FIND_JOB = "find_job", _("trouver un emploi")
    RETRAIN = "retrain", _("me reconvertir")
    RECOGNITION = "recognition", _("obtenir une reconnaissance personnelle")
    EDUCATION = "education", _("reprendre des études ou accéder à une formation")
    BUSINESS = "business", _("créer ou reprendre une entreprise")


OBJECTIVES_TO_CHOOSE = 2


class BlockActivity(models.TextChoices):
    YES = "yes", _("OUI")
    PARTLY = "partly", _("PARTIELLEMENT")
    NO = "no", _("NON")


class FeasibilityDocumentRole(models.TextChoices):
    """What a document joined to the recevabilité request proves (a ``Proof`` with a role)."""

    PREREQUISITE = "prerequisite", _("justificatif d'un prérequis")
    EXEMPTION = "exemption", _("diplôme ou formation justifiant une dispense ou une équivalence")
    OTHER = "other", _("autre pièce (CV…)")


class AccompanimentChoice(models.TextChoices):
    AUTONOMOUS = "autonomous", _("je ne souhaite pas d'accompagnement")
    REQUESTED = "requested", _("je demande un accompagnement pour la suite de mon parcours")


class FeasibilitySection(models.TextChoices):
    """The dossier de faisabilité's sections, in the model's order (docs/recevabilite.md)."""

    NATURE = "nature", _("Nature de la demande")
    CERTIFICATION = "certification", _("Certification visée")
    PREREQUISITES = "prerequisites", _("Prérequis")
    CANDIDATE = "candidate", _("Le candidat")
    EXPERIENCES = "experiences", _("Expériences en lien avec la certification")
    BLOCKS = "blocks", _("Activités par bloc de compétences")
    DOCUMENTS = "documents", _("Pièces jointes")
    SIGNATURE = "signature", _("Engagement et signature du candidat")
