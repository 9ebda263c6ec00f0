"""A VAE dossier: one candidate × one certification version, from recevabilité to decision.

State changes go through ``dossiers.services`` only; ``TRANSITIONS`` is the one table of what
may follow what (../shared/DOMAIN.md).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certifications.enums import AccessRoute
from certifications.models import AssessmentMethod, Block, Certification, Competency
from core import limits
from core.text import shorten
from dossiers.enums import (
    AccompanimentChoice,
    BlockActivity,
    CandidateStatus,
    DossierStatus,
    ExperienceKind,
    FeasibilityDocumentRole,
    Gender,
    ProofKind,
    QualificationLevel,
    RequestNature,
    ScanStatus,
    SelfAssessment,
    SnapshotKind,
)

S = DossierStatus
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.FEASIBILITY_SUBMITTED, S.WITHDRAWN},
    S.FEASIBILITY_SUBMITTED: {S.ADMISSIBLE, S.FEASIBILITY_INCOMPLETE, S.INADMISSIBLE},
    S.FEASIBILITY_INCOMPLETE: {S.FEASIBILITY_SUBMITTED, S.WITHDRAWN},
    S.INADMISSIBLE: set(),
    S.ADMISSIBLE: {S.VALIDATION_SUBMITTED, S.WITHDRAWN},
    S.VALIDATION_SUBMITTED: {S.READY_FOR_JURY, S.VALIDATION_INCOMPLETE},
    S.VALIDATION_INCOMPLETE: {S.VALIDATION_SUBMITTED, S.WITHDRAWN},
    S.READY_FOR_JURY: {S.SCHEDULED},
    S.SCHEDULED: {S.DECIDED, S.READY_FOR_JURY},
    # Only when the jury's decision is revoked (juries.services.decisions.revoke_decision): back to the
    # session that can still decide, or to waiting for another jury once its minutes are final.
    S.DECIDED: {S.SCHEDULED, S.READY_FOR_JURY},
    S.WITHDRAWN: set(),
}
# States in which the candidate edits: stage 1 (recevabilité) and stage 2 (dossier de validation).
FEASIBILITY_EDITABLE = {S.DRAFT, S.FEASIBILITY_INCOMPLETE}
VALIDATION_EDITABLE = {S.ADMISSIBLE, S.VALIDATION_INCOMPLETE}
# A dossier counts as active (one per certification) until it ends.
FINAL_STATES = {S.INADMISSIBLE, S.DECIDED, S.WITHDRAWN}
# Withdrawal is possible "from any state before jury".
WITHDRAWABLE = {S.DRAFT, S.FEASIBILITY_INCOMPLETE, S.ADMISSIBLE, S.VALIDATION_INCOMPLETE}
# From admissibility on, the dossier de validation exists (read-only once submitted).
STAGE2_STATES = {
    S.ADMISSIBLE,
    S.VALIDATION_SUBMITTED,
    S.VALIDATION_INCOMPLETE,
    S.READY_FOR_JURY,
    S.SCHEDULED,
    S.DECIDED,
}


def _random_name(folder: str, owner_id, filename: str) -> str:
    # Random names on disk: the original (sanitised) name is kept in the row.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{owner_id or 'new'}/{uuid.uuid4().hex}{suffix}"


def identity_upload_to(instance, filename: str) -> str:
    return _random_name("identity", instance.pk, filename)


def proof_upload_to(instance, filename: str) -> str:
    return _random_name("proofs", instance.dossier_id, filename)


class DossierQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status__in=FINAL_STATES)

    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(candidate=user)


class Dossier(models.Model):
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("candidat"),
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("certification")
    )
    status = models.CharField(_("état"), max_length=32, choices=DossierStatus.choices, default=DossierStatus.DRAFT)
    targets_all_blocks = models.BooleanField(_("vise la certification entière"), default=True)
    target_blocks = models.ManyToManyField(
        Block, related_name="targeting_dossiers", blank=True, verbose_name=_("blocs visés")
    )
    acquired_blocks = models.ManyToManyField(
        Block,
        related_name="acquired_in_dossiers",
        blank=True,
        verbose_name=_("blocs déjà acquis"),
        help_text=_("Validés lors d'une décision antérieure sur cette certification."),
    )
    sworn_statement_at = models.DateTimeField(_("attestation sur l'honneur signée le"), null=True, blank=True)
    identity_document = models.FileField(_("pièce d'identité"), upload_to=identity_upload_to, blank=True)
    identity_document_name = models.CharField(_("nom du fichier d'identité"), max_length=255, blank=True)
    identity_document_sha256 = models.CharField(max_length=64, blank=True)
    identity_scan_status = models.CharField(
        _("analyse antivirus de la pièce d'identité"),
        max_length=12,
        choices=ScanStatus.choices,
        default=ScanStatus.NOT_SCANNED,
    )
    identity_scan_detail = models.CharField(_("résultat de l'analyse"), max_length=255, blank=True)
    identity_scan_updated_at = models.DateTimeField(
        _("analyse : dernière étape le"), null=True, blank=True, help_text=_("Mise en file, puis verdict.")
    )
    feasibility_submitted_at = models.DateTimeField(_("recevabilité demandée le"), null=True, blank=True)
    validation_submitted_at = models.DateTimeField(_("dossier de validation déposé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "certification"]),
            # A candidate's dossier on a certification (the queue's search joins candidates to it).
            models.Index(fields=["candidate", "certification"], name="dossier_candidate_cert_idx"),
            # The certifier's queue (backoffice.views.review): its dossiers, per state or not,
            # in order of submission, one page at a time.
            models.Index(
                F("certification"),
                F("status"),
                Coalesce("validation_submitted_at", "feasibility_submitted_at"),
                F("id"),
                name="dossier_queue_state_idx",
                condition=Q(feasibility_submitted_at__isnull=False),
            ),
            models.Index(
                F("certification"),
                Coalesce("validation_submitted_at", "feasibility_submitted_at"),
                F("id"),
                name="dossier_queue_idx",
                condition=Q(feasibility_submitted_at__isnull=False),
            ),
            # The API's candidatures (api.endpoints.list_candidatures), in order of request.
            models.Index(
                fields=["certification", "feasibility_submitted_at", "id"],
                name="dossier_api_idx",
                condition=Q(feasibility_submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {shorten(self.certification.title, 60)}"

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", args=[self.pk])

    @property
    def feasibility_editable(self) -> bool:
        return self.status in FEASIBILITY_EDITABLE

    @property
    def validation_editable(self) -> bool:
        return self.status in VALIDATION_EDITABLE

    @property
    def can_withdraw(self) -> bool:
        return self.status in WITHDRAWABLE

    @property
    def in_stage2(self) -> bool:
        return self.status in STAGE2_STATES

    @property
    def is_active(self) -> bool:
        return self.status not in FINAL_STATES

    def targeted_blocks(self):
        """The blocs this dossier must prove: targeted (or all) minus those already acquired."""
        blocks = self.certification.blocks.all() if self.targets_all_blocks else self.target_blocks.all()
        return blocks.exclude(pk__in=self.acquired_blocks.values("pk")).order_by("order")

    def targeted_competencies(self):
        return Competency.objects.filter(block__in=self.targeted_blocks()).order_by("block__order", "order")

    def transversal_assessments(self):
        """The transversal assessments this dossier is assessed on: those of the VAE route (not
        the training route's only) when it targets the whole certification."""
        if not self.targets_all_blocks:
            return AssessmentMethod.objects.none()
        return (
            AssessmentMethod.objects.filter(certification_id=self.certification_id, block__isnull=True)
            .exclude(access_routes=AccessRoute.TRAINING)
            .order_by("order", "pk")
        )


class TransitionLog(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("de"), max_length=32, choices=DossierStatus.choices)
    to_status = models.CharField(_("vers"), max_length=32, choices=DossierStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("par")
    )
    comment = models.TextField(_("commentaire"), blank=True, **limits.bounded(limits.LONG_TEXT))
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("transition de dossier")
        verbose_name_plural = _("transitions de dossier")
        ordering = ["dossier", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.from_status} → {self.to_status}"


class Experience(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(_("nature"), max_length=20, choices=ExperienceKind.choices)
    organisation = models.CharField(_("structure"), max_length=255)
    role = models.CharField(_("fonction ou poste"), max_length=255)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True, help_text=_("Vide si elle est en cours."))
    hours_per_week = models.DecimalField(
        _("heures par semaine"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(80)],
    )
    total_hours = models.PositiveIntegerField(_("nombre total d'heures"), null=True, blank=True)
    activities = models.TextField(_("activités exercées"), **limits.bounded(limits.LONG_TEXT))
    working_context = models.TextField(
        _("contexte d'exercice"),
        blank=True,
        help_text=_("Recommandé : la structure, son public, l'équipe, votre autonomie."),
        **limits.bounded(limits.LONG_TEXT),
    )
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("expérience")
        verbose_name_plural = _("expériences")
        ordering = ["dossier", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="experience_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} — {self.organisation}"


class Proof(models.Model):
    """A piece of evidence, uploaded once and linked to any number of compétences."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="proofs")
    title = models.CharField(_("titre"), max_length=255)
    kind = models.CharField(_("nature"), max_length=20, choices=ProofKind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, **limits.bounded(limits.SHORT_TEXT))
    file = models.FileField(_("fichier"), upload_to=proof_upload_to)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(
        _("pages dans le dossier"),
        null=True,
        blank=True,
        help_text=_(
            "Pages qu'elle ajoute au PDF du dossier de validation : celles d'un PDF, une pour une image, aucune "
            "pour un document bureautique. Vide : pas encore comptées (déposée avant ce décompte)."
        ),
    )
    feasibility_role = models.CharField(
        _("pièce de la demande de recevabilité"),
        max_length=20,
        choices=FeasibilityDocumentRole.choices,
        blank=True,
        help_text=_("Vide : une preuve du dossier de validation."),
    )
    prerequisite = models.CharField(
        _("prérequis justifié"), max_length=500, blank=True, help_text=_("Pour un justificatif de prérequis.")
    )
    uploaded_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    scan_status = models.CharField(
        _("analyse antivirus"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )
    scan_detail = models.CharField(_("résultat de l'analyse"), max_length=255, blank=True)
    scan_updated_at = models.DateTimeField(
        _("analyse : dernière étape le"), null=True, blank=True, help_text=_("Mise en file, puis verdict.")
    )

    class Meta:
        verbose_name = _("preuve")
        verbose_name_plural = _("preuves")
        ordering = ["dossier", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CompetencyStatement(models.Model):
    """What the candidate says about one compétence: self-positioning, narrative, what it draws on.

    ``version`` grows with every save; an autosave carries the version it started from, so a
    save from a stale tab is detected instead of overwriting (see ``services.save_statement``).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="statements")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="statements")
    self_assessment = models.CharField(
        _("auto-positionnement"), max_length=10, choices=SelfAssessment.choices, blank=True
    )
    self_comment = models.TextField(_("commentaire"), blank=True, **limits.bounded(limits.COMMENT))
    narrative = models.TextField(_("récit de situations de travail"), blank=True, **limits.bounded(limits.NARRATIVE))
    experiences = models.ManyToManyField(Experience, blank=True, related_name="statements")
    proofs = models.ManyToManyField(Proof, blank=True, related_name="statements")
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    # Set by services.save_statement: how many proofs and experiences it draws on.
    support_count: int | None = None

    class Meta:
        verbose_name = _("déclaration de compétence")
        verbose_name_plural = _("déclarations de compétence")
        ordering = ["dossier", "competency__block__order", "competency__order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "competency"], name="one_statement_per_competency")]

    def __str__(self) -> str:
        return f"{self.dossier_id} / {self.competency}"


class TransversalStatement(models.Model):
    """What the candidate writes for a transversal assessment of the VAE route (004: "la preuve
    de la capacité du candidat à mobiliser de manière coordonnée les compétences"): a narrative
    and the proofs it draws on, frozen in the dossier de validation like the compétences'.
    ``version`` works as ``CompetencyStatement.version``."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transversal_statements")
    assessment_method = models.ForeignKey(
        AssessmentMethod, on_delete=models.PROTECT, related_name="+", verbose_name=_("épreuve transversale")
    )
    narrative = models.TextField(_("récit"), blank=True, **limits.bounded(limits.NARRATIVE))
    proofs = models.ManyToManyField(Proof, blank=True, related_name="transversal_statements")
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("récit transversal")
        verbose_name_plural = _("récits transversaux")
        ordering = ["dossier", "assessment_method__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "assessment_method"], name="one_transversal_statement_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} / {self.assessment_method}"


class Snapshot(models.Model):
    """What the candidate submitted, frozen: content plus each file's SHA-256."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(_("nature"), max_length=20, choices=SnapshotKind.choices)
    number = models.PositiveIntegerField(_("numéro"))
    content = models.JSONField(_("contenu"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("version déposée")
        verbose_name_plural = _("versions déposées")
        ordering = ["dossier", "kind", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "kind", "number"], name="unique_snapshot_number")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} n°{self.number} ({self.dossier_id})"


class CivilIdentity(models.Model):
    """The candidate's civil identity on a dossier: the one place the portal keeps it.

    The dossier de faisabilité asks it (rubrique « le candidat ») and freezes it in its snapshot;
    the declaration of holders to the Caisse des Dépôts (``accrochage``) reads the same row and
    asks what it lacks there (place of birth). A new dossier starts from the candidate's latest
    identity (offered, never retyped: ``services.start_dossier``).
    """

    # The fields the dossier de faisabilité's rubrique « le candidat » asks (forms, services).
    PERSON_FIELDS = (
        "birth_name",
        "usage_name",
        "first_name1",
        "first_name2",
        "first_name3",
        "sex",
        "birth_date",
        "nationality",
    )

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="civil_identity")
    birth_name = models.CharField(_("nom de naissance"), max_length=60)
    usage_name = models.CharField(_("nom d'usage"), max_length=60, blank=True)
    first_name1 = models.CharField(_("premier prénom"), max_length=60)
    first_name2 = models.CharField(_("deuxième prénom"), max_length=60, blank=True)
    first_name3 = models.CharField(_("troisième prénom"), max_length=60, blank=True)
    sex = models.CharField(_("sexe (état civil)"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("date de naissance"))
    nationality = models.CharField(_("nationalité"), max_length=60, blank=True)
    born_in_france = models.BooleanField(_("naissance en France"), default=True)
    birth_insee_code = models.CharField(_("code INSEE de la commune de naissance"), max_length=5, blank=True)
    birth_postcode = models.CharField(_("code postal de la commune de naissance"), max_length=5, blank=True)
    birth_city = models.CharField(_("commune de naissance"), max_length=40, blank=True)
    birth_country_code = models.CharField(_("code du pays de naissance"), max_length=3, default="FRA")
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("identité civile")
        verbose_name_plural = _("identités civiles")

    def __str__(self) -> str:
        return f"{self.birth_name} {self.first_name1}"

    @property
    def first_names(self) -> str:
        return ", ".join(n for n in (self.first_name1, self.first_name2, self.first_name3) if n)


class Feasibility(models.Model):
    """The rest of the dossier de faisabilité (arrêté du 3 juillet 2025, modèle sans
    accompagnement): what the candidate says of their request, their situation and their choice.
    The identity is ``CivilIdentity``, the experiences ``Experience``, each bloc's activity
    ``BlockStatement``, the documents ``Proof`` rows with a ``feasibility_role``."""

    # The candidate's situation in rubrique « le candidat », offered again to their next dossier.
    SITUATION_FIELDS = (
        "training_level",
        "certification_level",
        "titles_held",
        "street",
        "address_complement",
        "postcode",
        "city",
        "country",
        "phone",
        "email",
        "status",
        "idcc",
    )

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="feasibility")
    # Nature of the request
    nature = models.CharField(_("nature de la demande"), max_length=10, choices=RequestNature.choices, blank=True)
    earlier_decision_date = models.DateField(_("date de la décision de recevabilité antérieure"), null=True, blank=True)
    # Certification
    option = models.CharField(_("option"), max_length=255, blank=True)
    foreign_language = models.CharField(_("langue vivante étrangère"), max_length=255, blank=True)
    parcours = models.CharField(_("parcours, mention ou spécialité"), max_length=255, blank=True)
    # Prerequisites: {prerequisite text: true | false}
    prerequisites_held = models.JSONField(_("prérequis détenus"), default=dict, blank=True)
    # The candidate
    training_level = models.CharField(
        _("niveau de formation le plus élevé"), max_length=4, choices=QualificationLevel.choices, blank=True
    )
    certification_level = models.CharField(
        _("niveau de la certification la plus élevée obtenue"),
        max_length=4,
        choices=QualificationLevel.choices,
        blank=True,
    )
    titles_held = models.TextField(
        _("intitulés des certifications obtenues"), blank=True, **limits.bounded(limits.SHORT_TEXT)
    )
    street = models.CharField(_("adresse (numéro et voie)"), max_length=255, blank=True)
    address_complement = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    country = models.CharField(_("pays"), max_length=60, blank=True, default="France")
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    status = models.CharField(_("statut"), max_length=30, choices=CandidateStatus.choices, blank=True)
    idcc = models.CharField(
        _("convention collective de l'employeur (IDCC)"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("L'IDCC compte quatre chiffres, par exemple 1516."))],
    )
    objectives = models.JSONField(_("objectifs principaux"), default=list, blank=True)
    # The signed block
    accompaniment = models.CharField(
        _("accompagnement"), max_length=12, choices=AccompanimentChoice.choices, blank=True
    )
    comments = models.TextField(_("commentaires"), blank=True, **limits.bounded(limits.COMMENT))
    # The procedure (Code du travail L6412-2): two months from reception, silence is acceptance.
    received_at = models.DateTimeField(_("reçu par le certificateur le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel de l'échéance envoyé le"), null=True, blank=True)
    sections_to_complete = models.JSONField(_("rubriques à compléter"), default=list, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("dossier de faisabilité")
        verbose_name_plural = _("dossiers de faisabilité")

    def __str__(self) -> str:
        return str(self.dossier)


class BlockStatement(models.Model):
    """Per bloc: « Activité » OUI / NON / PARTIELLEMENT and a detailed comment (mandatory for OUI
    and PARTIELLEMENT)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="block_statements")
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="+")
    activity = models.CharField(_("activité"), max_length=10, choices=BlockActivity.choices, blank=True)
    comment = models.TextField(_("commentaire détaillé"), blank=True, **limits.bounded(limits.LONG_TEXT))
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("activité par bloc")
        verbose_name_plural = _("activités par bloc")
        ordering = ["dossier", "block__order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "block"], name="one_block_statement_per_block")]

    def __str__(self) -> str:
        return f"{self.dossier_id} / {self.block}"
