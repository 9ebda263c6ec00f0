from django.db import models
from django.utils.translation import gettext_lazy as _

# The jury's roles are named by the certification's composition rule (certifications.jury_rule).
from certifications.enums import ROLE_PLURALS, JuryRole  # noqa: F401


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("programmée")
    CANCELLED = "cancelled", _("annulée")
    # Set once the procès-verbal is final (jury deliberation, issue 6).
    CLOSED = "closed", _("clôturée")


class ConvocationStatus(models.TextChoices):
    CONVOKED = "convoked", _("convocation envoyée")
    RESCHEDULED = "rescheduled", _("convocation reportée sur un autre créneau")
    CANCELLED = "cancelled", _("convocation annulée")


class Attendance(models.TextChoices):
    PRESENT = "present", _("présence")
    ABSENT = "absent", _("absence")
    EXCUSED = "excused", _("absence excusée")


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
    CANDIDATE_EXCUSED = "CANDIDATE_EXCUSED", _("absence excusée")
    CANDIDATE_ABSENT = "CANDIDATE_ABSENT", _("absence non excusée")


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
    CONVOCATION = "convocation", _("convocation au jury")
