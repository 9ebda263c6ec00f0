from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("programmée")
    CANCELLED = "cancelled", _("annulée")
    # Set once the procès-verbal is final (jury deliberation, issue 6).
    CLOSED = "closed", _("clôturée")


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


class ConvocationStatus(models.TextChoices):
    CONVOKED = "convoked", _("convoqué(e)")
    RESCHEDULED = "rescheduled", _("reconvoqué(e) sur un autre créneau")
    CANCELLED = "cancelled", _("convocation annulée")


class Attendance(models.TextChoices):
    PRESENT = "present", _("présent(e)")
    ABSENT = "absent", _("absent(e)")
    EXCUSED = "excused", _("excusé(e)")


class LinkKind(models.TextChoices):
    """What a member declares about their link with a candidate, before opening the dossier."""

    NONE = "none", _("aucun lien")
    PROFESSIONAL = "professional", _("lien professionnel")
    PERSONAL = "personal", _("lien personnel")
    INSTITUTIONAL = "institutional", _("lien institutionnel")
    OTHER = "other", _("autre lien")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("en cours")
    VALIDATED = "validated", _("validée")


class JuryResult(models.TextChoices):
    """The result of a jury, as France VAE names it (values kept as they are, for exchanges)."""

    FULL_SUCCESS_OF_FULL_CERTIFICATION = (
        "FULL_SUCCESS_OF_FULL_CERTIFICATION",
        _("validation totale de la certification visée en totalité"),
    )
    PARTIAL_SUCCESS_OF_FULL_CERTIFICATION = (
        "PARTIAL_SUCCESS_OF_FULL_CERTIFICATION",
        _("validation partielle de la certification visée en totalité"),
    )
    FULL_SUCCESS_OF_PARTIAL_CERTIFICATION = (
        "FULL_SUCCESS_OF_PARTIAL_CERTIFICATION",
        _("validation totale des blocs de compétences visés"),
    )
    PARTIAL_SUCCESS_OF_PARTIAL_CERTIFICATION = (
        "PARTIAL_SUCCESS_OF_PARTIAL_CERTIFICATION",
        _("validation partielle des blocs de compétences visés"),
    )
    FAILURE = "FAILURE", _("refus de validation")
    CANDIDATE_EXCUSED = "CANDIDATE_EXCUSED", _("candidat(e) excusé(e)")
    CANDIDATE_ABSENT = "CANDIDATE_ABSENT", _("candidat(e) absent(e)")


# Results in which the jury validated at least one bloc.
SUCCESS_RESULTS = {
    JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION,
    JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION,
    JuryResult.FULL_SUCCESS_OF_PARTIAL_CERTIFICATION,
    JuryResult.PARTIAL_SUCCESS_OF_PARTIAL_CERTIFICATION,
}


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("en attente des signatures")
    FINAL = "final", _("définitif")


class JuryDocumentKind(models.TextChoices):
    MINUTES = "minutes", _("procès-verbal")
    DECISION_LETTER = "decision_letter", _("lettre de décision")
    ATTESTATION = "attestation", _("attestation de blocs acquis")
