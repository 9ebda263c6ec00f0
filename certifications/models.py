"""The certification referential: a versioned tree certification → blocs → compétences,
with modalités d'évaluation and grilles critériées.

A published version never changes (see ``certifications.services``); editing starts a new
draft version that shares the ``lineage`` of the versions before it.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.enums import AccessRoute, AssessmentKind, CertificationStatus, RncpStatus, RncpUploadStatus
from certifications.jury_rule import JuryRule, JuryRuleError
from core import limits

certification_code_validator = RegexValidator(
    r"^(RNCP|RS)\d{2,6}$",
    _("Le code doit être un code RNCP ou RS, par exemple RNCP35203 ou RS5000."),
)
siret_validator = RegexValidator(r"^\d{14}$", _("Le SIRET compte exactement 14 chiffres."))


def validate_jury_rule(value) -> None:
    try:
        JuryRule.from_data(value)
    except JuryRuleError as exc:
        raise ValidationError(str(exc)) from exc


class Certifier(models.Model):
    legal_name = models.CharField(_("raison sociale"), max_length=255)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    commercial_name = models.CharField(_("nom commercial"), max_length=255, blank=True)
    website = models.URLField(_("site internet"), blank=True)
    # Printed on the convocations to the jury: where to write, whom to call.
    address = models.TextField(_("adresse postale"), blank=True, **limits.bounded(limits.SHORT_TEXT))
    contact_email = models.EmailField(_("e-mail de contact des candidats"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact des candidats"), max_length=32, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="certifiers", blank=True, verbose_name=_("personnel")
    )

    class Meta:
        verbose_name = _("certificateur")
        verbose_name_plural = _("certificateurs")
        ordering = ["legal_name"]
        constraints = [models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="unique_certifier_siret")]

    def __str__(self) -> str:
        return self.commercial_name or self.legal_name


class CertificationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CertificationStatus.PUBLISHED)

    def managed_by(self, user):
        """Certifications of the organisations ``user`` is staff of (all of them for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(certifiers__staff=user).distinct()


class Certification(models.Model):
    lineage = models.UUIDField(
        _("lignée"), default=uuid.uuid4, db_index=True, help_text=_("Commune à toutes les versions.")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("statut"), max_length=16, choices=CertificationStatus.choices, default=CertificationStatus.DRAFT
    )
    code = models.CharField(
        _("code RNCP ou RS"),
        max_length=12,
        blank=True,
        db_index=True,  # every RNCP import looks versions up by code
        validators=[certification_code_validator],
    )
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120)
    title = models.CharField(_("intitulé"), max_length=800)
    level = models.PositiveSmallIntegerField(
        _("niveau européen"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(8)],
    )
    nsf_codes = models.JSONField(_("codes NSF"), default=list, blank=True)
    formacodes = models.JSONField(_("formacodes"), default=list, blank=True)
    rome_codes = models.JSONField(_("codes ROME"), default=list, blank=True)
    end_of_registration = models.DateField(_("fin d'enregistrement"), null=True, blank=True)
    # The RNCP fiche's "Date de décision": the registration runs from it to ``end_of_registration``
    # (``registration_years``), so its length is not stored a second time.
    rncp_decision_date = models.DateField(_("date de la décision d'enregistrement au RNCP"), null=True, blank=True)
    # The fiche's "Date de dernière modification" of the jury's composition for the VAE route.
    jury_composition_date = models.DateField(
        _("date de la composition du jury"), null=True, blank=True, help_text=_("Sa dernière modification.")
    )
    certifiers = models.ManyToManyField(
        Certifier, related_name="certifications", blank=True, verbose_name=_("certificateurs")
    )
    rules = models.TextField(_("modalités d'obtention"), blank=True, **limits.bounded(limits.LONG_TEXT))
    requires_all_blocks = models.BooleanField(_("tous les blocs sont requis pour le titre"), default=True)
    requires_transversal = models.BooleanField(_("une épreuve transversale est requise pour le titre"), default=False)
    partial_validation = models.BooleanField(_("validation partielle par blocs possible"), default=True)
    jury_composition = models.TextField(_("composition du jury VAE"), blank=True, **limits.bounded(limits.LONG_TEXT))
    jury_rule = models.JSONField(
        _("règle de composition du jury"),
        default=dict,
        blank=True,
        validators=[validate_jury_rule],
        help_text=_("Rôles et nombres de membres exigés ; voir juries.composition."),
    )
    prerequisites = models.TextField(_("prérequis"), blank=True, **limits.bounded(limits.LONG_TEXT))
    # The dossier de faisabilité (arrêté du 3 juillet 2025, rubriques 1 and 2) asks the candidate
    # about each regulatory prerequisite and the option, languages and parcours they choose.
    regulatory_prerequisites = models.JSONField(
        _("prérequis réglementaires"),
        default=list,
        blank=True,
        help_text=_("Un par ligne : le candidat dit s'il détient chacun et en joint la preuve."),
    )
    options = models.JSONField(_("options"), default=list, blank=True)
    foreign_languages = models.JSONField(_("langues vivantes étrangères"), default=list, blank=True)
    parcours = models.JSONField(_("parcours, mentions ou spécialités"), default=list, blank=True)
    fees = models.TextField(_("tarifs"), blank=True, **limits.bounded(limits.LONG_TEXT))
    jury_place = models.TextField(_("lieu du jury"), blank=True, **limits.bounded(limits.SHORT_TEXT))
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Ce qui ne vient pas de la fiche officielle, et pourquoi."),
        **limits.bounded(limits.LONG_TEXT),
    )
    source = models.TextField(_("source"), blank=True, **limits.bounded(limits.LONG_TEXT))
    replaces_code = models.CharField(_("remplace la certification"), max_length=12, blank=True)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        verbose_name=_("certification remplacée (dans le portail)"),
    )
    min_narrative_length = models.PositiveIntegerField(_("longueur minimale d'un récit (caractères)"), default=300)
    # Filled by the RNCP import (certifications.rncp); see docs/rncp-import.md.
    open_to_vae = models.BooleanField(_("ouverte à la VAE"), default=True)
    rncp_status = models.CharField(_("état au RNCP"), max_length=16, choices=RncpStatus.choices, blank=True)
    replaced_by_code = models.CharField(_("remplacée par la certification"), max_length=12, blank=True)
    rncp_content_hash = models.CharField(
        _("empreinte de la fiche RNCP importée"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Une fiche dont l'empreinte est déjà connue n'est pas réimportée."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="unique_certification_version"),
            models.UniqueConstraint(fields=["slug", "version"], name="unique_certification_slug_version"),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=Q(status="published"),
                name="one_published_version_per_lineage",
            ),
        ]

    def __str__(self) -> str:
        prefix = f"{self.code} " if self.code else ""
        return f"{prefix}{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("certifications:detail", args=[self.slug])

    @property
    def registration_expired(self) -> bool:
        """Its RNCP registration has ended: no new candidate may start a dossier on it."""
        return self.end_of_registration is not None and self.end_of_registration < timezone.localdate()

    @property
    def registration_years(self) -> int | None:
        """The registration's length in whole years, from the decision to the end; ``None`` when
        a date is missing or the two dates are not whole years apart (no rounding is shown)."""
        start, end = self.rncp_decision_date, self.end_of_registration
        if start is None or end is None or end <= start:
            return None
        years = end.year - start.year
        if (end.month, end.day) != (start.month, start.day):
            return None
        return years

    @property
    def is_editable(self) -> bool:
        return self.status == CertificationStatus.DRAFT

    @property
    def block_assessments(self):
        return self.assessment_methods.filter(block__isnull=False)

    @property
    def transversal_assessments(self):
        return self.assessment_methods.filter(block__isnull=True)


class Block(models.Model):
    """A bloc de compétences. A validated bloc is acquired for life."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("certification")
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    title = models.CharField(_("intitulé"), max_length=800)
    order = models.PositiveIntegerField(_("ordre"))
    domain = models.CharField(_("domaine d'activités"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True, **limits.bounded(limits.LONG_TEXT))
    # The official texts as the RNCP fiche gives them, kept so that the split into compétences
    # can be checked and corrected against its source.
    raw_competencies = models.TextField(_("liste des compétences (texte RNCP d'origine)"), blank=True)
    raw_assessment = models.TextField(_("modalités d'évaluation (texte RNCP d'origine)"), blank=True)

    class Meta:
        verbose_name = _("bloc de compétences")
        verbose_name_plural = _("blocs de compétences")
        ordering = ["certification", "order"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "order"], name="unique_block_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def rubric_or_none(self) -> "Rubric | None":
        """Its grille, or None. Templates read this: ``rubric`` raises when there is none, which a
        template swallows only by accident of its silent-failure rule."""
        try:
            return self.rubric
        except ObjectDoesNotExist:
            return None

    @property
    def label(self) -> str:
        return self.code or _("Bloc %(order)s") % {"order": self.order}


class Competency(models.Model):
    """A compétence. Codes are not unique: real referentials repeat them (C1-2.6 in 004)."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="competencies", verbose_name=_("bloc"))
    code = models.CharField(_("code"), max_length=40, blank=True)
    group = models.CharField(_("intitulé de groupe"), max_length=500, blank=True)
    text = models.TextField(_("énoncé"), **limits.bounded(limits.LONG_TEXT))
    order = models.PositiveIntegerField(_("ordre"))

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["block", "order"]
        constraints = [
            models.UniqueConstraint(fields=["block", "order"], name="unique_competency_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}".strip()


class AssessmentMethod(models.Model):
    """A modalité d'évaluation, for one bloc or (``block`` empty) the whole certification."""

    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="assessment_methods",
        verbose_name=_("certification"),
    )
    block = models.ForeignKey(
        Block,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessment_methods",
        verbose_name=_("bloc"),
        help_text=_("Vide pour une épreuve transversale à toute la certification."),
    )
    kind = models.CharField(_("type"), max_length=32, choices=AssessmentKind.choices)
    title = models.CharField(_("intitulé"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True, **limits.bounded(limits.LONG_TEXT))
    duration = models.CharField(_("durée"), max_length=200, blank=True)
    length = models.CharField(_("longueur attendue"), max_length=200, blank=True)
    assessors = models.TextField(_("évaluateurs"), blank=True, **limits.bounded(limits.SHORT_TEXT))
    access_routes = models.CharField(
        _("voies d'accès concernées"),
        max_length=16,
        choices=AccessRoute.choices,
        default=AccessRoute.ALL,
        help_text=_("Une épreuve de la voie de la formation seulement n'est pas évaluée par le jury de VAE."),
    )
    vae_requirement = models.TextField(
        _("ce que demande la voie de la VAE à la place"),
        blank=True,
        help_text=_(
            "Pour une épreuve de la voie de la formation seulement : ce que le texte demande au candidat à la VAE."
        ),
        **limits.bounded(limits.LONG_TEXT),
    )
    order = models.PositiveIntegerField(_("ordre"), default=1)

    class Meta:
        verbose_name = _("modalité d'évaluation")
        verbose_name_plural = _("modalités d'évaluation")
        ordering = ["certification", "block__order", "order"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def rubric_or_none(self) -> "Rubric | None":
        """Its grille, or None. Templates read this: ``rubric`` raises when there is none, which a
        template swallows only by accident of its silent-failure rule."""
        try:
            return self.rubric
        except ObjectDoesNotExist:
            return None

    @property
    def is_transversal(self) -> bool:
        return self.block_id is None

    @property
    def applies_to_vae(self) -> bool:
        """The VAE route (the portal's) takes this assessment."""
        return self.access_routes != AccessRoute.TRAINING


class Rubric(models.Model):
    """A grille critériée, for a bloc or for a transversal assessment.

    Pass rule: the weighted score (sum of weight × points of the chosen level, over the
    maximum) must reach ``pass_threshold_percent``; when ``no_minimum_level`` is set, no
    criterion may sit at the lowest level either.
    """

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="rubrics", verbose_name=_("certification")
    )
    block = models.OneToOneField(
        Block, on_delete=models.CASCADE, null=True, blank=True, related_name="rubric", verbose_name=_("bloc")
    )
    assessment_method = models.OneToOneField(
        AssessmentMethod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rubric",
        verbose_name=_("épreuve transversale"),
    )
    title = models.CharField(_("intitulé"), max_length=500, blank=True)
    pass_threshold_percent = models.PositiveSmallIntegerField(
        _("seuil de réussite (% des points)"), default=50, validators=[MaxValueValidator(100)]
    )
    no_minimum_level = models.BooleanField(
        _("aucun critère au niveau le plus bas"),
        default=False,
    )
    pass_rule = models.TextField(_("règle de réussite (texte)"), blank=True, **limits.bounded(limits.LONG_TEXT))
    # The referential's text gives no grille (or names one without detailing it): this one was
    # made by the portal so that the jury can score. Candidates and jurors are told so.
    is_portal_default = models.BooleanField(
        _("grille proposée par le portail"),
        default=False,
        help_text=_(
            "Le référentiel ne publie pas de grille : celle-ci est proposée par le portail. "
            "Décochez quand la grille est celle du certificateur."
        ),
    )

    class Meta:
        verbose_name = _("grille critériée")
        verbose_name_plural = _("grilles critériées")
        constraints = [
            models.CheckConstraint(
                condition=Q(block__isnull=False, assessment_method__isnull=True)
                | Q(block__isnull=True, assessment_method__isnull=False),
                name="rubric_for_block_or_transversal",
            )
        ]

    def __str__(self) -> str:
        return self.title or str(_("Grille critériée"))


class RubricLevel(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="levels")
    label = models.CharField(_("libellé"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"))
    order = models.PositiveIntegerField(_("ordre"))

    class Meta:
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaux")
        ordering = ["rubric", "order"]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    text = models.TextField(_("critère"), **limits.bounded(limits.LONG_TEXT))
    weight = models.DecimalField(
        _("pondération"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveIntegerField(_("ordre"))
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="criteria", verbose_name=_("compétences évaluées")
    )

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["rubric", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class CertificationEvent(models.Model):
    """One row per state change of a certification version (publish, archive, new version)."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_status = models.CharField(max_length=16, choices=CertificationStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CertificationStatus.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("historique de certification")
        verbose_name_plural = _("historiques de certification")
        ordering = ["certification", "created_at"]

    def __str__(self) -> str:
        return f"{self.certification}: {self.from_status or '∅'} → {self.to_status}"


class RncpUploadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Uploads of the organisations ``user`` is staff of (all of them for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # A subquery rather than DISTINCT: the rows carry the (large) index of their fiches.
        return self.filter(pk__in=RncpUpload.objects.filter(organisations__staff=user).values("pk"))


class RncpUpload(models.Model):
    """An RNCP XML flux uploaded through the certifier pages, read by a worker.

    The file lives under MEDIA_ROOT, outside any public URL. The upload belongs to the uploader's
    organisations (``organisations``): only their staff, and superusers, see it. Once read
    (``status`` ready), ``index`` holds one small summary per kept fiche (code, title, SIRETs…)
    and each kept fiche is stored parsed (``RncpUploadFiche``), so that choosing and previewing a
    fiche never reads the file again. State changes go through ``certifications.rncp.uploads``.
    """

    file = models.FileField(_("fichier"), upload_to="rncp/%Y/%m/", blank=True)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    organisations = models.ManyToManyField(
        Certifier,
        related_name="rncp_uploads",
        blank=True,
        verbose_name=_("organismes"),
        help_text=_("Ceux du déposant : leur personnel voit ce fichier (les administrateurs voient tout)."),
    )
    kept_sirets = models.JSONField(
        _("SIRET des fiches gardées"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Vide : toutes les fiches sont gardées (fichier déposé par un administrateur)."),
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    status = models.CharField(
        _("état"), max_length=10, choices=RncpUploadStatus.choices, default=RncpUploadStatus.QUEUED
    )
    error = models.TextField(_("erreur"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    task_id = models.CharField(_("tâche Celery"), max_length=64, blank=True)
    queued_at = models.DateTimeField(_("mis en file le"), null=True, blank=True)
    started_at = models.DateTimeField(_("lecture commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("lecture terminée le"), null=True, blank=True)
    flux_version = models.CharField(_("version du flux"), max_length=8, blank=True, default="")
    fiche_count = models.PositiveIntegerField(_("nombre de fiches"), default=0)
    index = models.JSONField(_("fiches du fichier"), default=list, blank=True, editable=False)

    objects = RncpUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("fichier RNCP déposé")
        verbose_name_plural = _("fichiers RNCP déposés")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_pending(self) -> bool:
        return self.status in (RncpUploadStatus.QUEUED, RncpUploadStatus.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == RncpUploadStatus.READY


class RncpUploadFiche(models.Model):
    """One fiche of an uploaded flux, as the parser read it (``parser.fiche_to_data``)."""

    upload = models.ForeignKey(RncpUpload, on_delete=models.CASCADE, related_name="fiches")
    code = models.CharField(_("numéro de fiche"), max_length=40)
    data = models.JSONField(_("fiche lue"))

    class Meta:
        verbose_name = _("fiche d'un fichier RNCP")
        verbose_name_plural = _("fiches d'un fichier RNCP")
        constraints = [models.UniqueConstraint(fields=["upload", "code"], name="one_fiche_per_code_and_upload")]

    def __str__(self) -> str:
        return self.code
