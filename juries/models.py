"""Jury sessions: when and where a jury sits, who sits on it, who is convoked and when; then
what the jury does there: conflict declarations, scorings against the grilles critériées,
decisions per bloc, and the signed procès-verbal.

State changes go through ``juries.services`` (sessions, convocations) and
``juries.services`` (declarations, scorings, decisions, procès-verbal), which also move the
dossiers through ``dossiers.services``. A ``JuryMember`` is the person who scores, a live
``Convocation`` is a candidate they score.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.invitations import awaiting_invitation
from certifications.models import (
    AssessmentMethod,
    Block,
    Certification,
    Competency,
    Rubric,
    RubricCriterion,
    RubricLevel,
)
from core import limits
from core.templatetags.french import fr_datetime
from core.text import shorten
from documents.models import GeneratedDocument, GeneratedDocumentQuerySet
from dossiers.models import Dossier
from juries.enums import (
    Attendance,
    ConvocationStatus,
    EvaluationStatus,
    JuryResult,
    JuryRole,
    LinkKind,
    MinutesStatus,
    SessionStatus,
)


class JurySessionQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=SessionStatus.PLANNED, starts_at__gte=timezone.now()).order_by("starts_at")

    def awaiting_minutes(self):
        """Sessions that have taken place and whose procès-verbal is not final yet."""
        return self.filter(status=SessionStatus.PLANNED, starts_at__lt=timezone.now()).order_by("starts_at")


class JurySession(models.Model):
    """A jury sitting for one certification (any version of its lineage can be convoked).

    Rules (see ``juries.services``): a place or a video link; at most ``capacity`` live
    convocations; the date cannot move while candidates are convoked (reschedule them first).
    """

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="jury_sessions", verbose_name=_("certification")
    )
    starts_at = models.DateTimeField(_("début"))
    place = models.TextField(_("lieu"), blank=True, **limits.bounded(limits.SHORT_TEXT))
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("nombre de candidats au plus"))
    instructions = models.TextField(
        _("consignes aux candidats"),
        blank=True,
        help_text=_("Ce que le candidat doit apporter ou préparer."),
        **limits.bounded(limits.LONG_TEXT),
    )
    notes = models.TextField(_("notes internes"), blank=True, **limits.bounded(limits.LONG_TEXT))
    status = models.CharField(_("statut"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = JurySessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session de jury")
        verbose_name_plural = _("sessions de jury")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_link=""), name="jury_session_place_or_link"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="jury_session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.certification.code or shorten(self.certification.title, 40)} — {fr_datetime(self.starts_at)}"

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()

    @property
    def is_open(self) -> bool:
        """Members and convocations can still change."""
        return self.status == SessionStatus.PLANNED


class JuryMember(models.Model):
    """A person sitting on a session with a role. At most one président per session."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats", verbose_name=_("personne")
    )
    role = models.CharField(_("rôle"), max_length=32, choices=JuryRole.choices)
    invited = models.BooleanField(
        _("invitation par e-mail"), default=False, help_text=_("Le compte a été créé par cette invitation.")
    )
    present = models.BooleanField(
        _("présence à la session"),
        default=True,
        help_text=_("Un membre absent ne délibère pas et ne signe pas le procès-verbal."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("date d'ajout"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre de jury")
        verbose_name_plural = _("membres de jury")
        ordering = ["session", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_seat_per_person_and_session"),
            models.UniqueConstraint(
                fields=["session"], condition=Q(role=JuryRole.PRESIDENT), name="one_president_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def awaiting_invitation(self) -> bool:
        return awaiting_invitation(self.user)

    @property
    def is_president(self) -> bool:
        return self.role == JuryRole.PRESIDENT

    @property
    def scores(self) -> bool:
        """A personne ressource advises the jury: they read the dossiers, never score nor decide."""
        return self.role != JuryRole.RESOURCE_PERSON


class ConvocationQuerySet(models.QuerySet):
    def live(self):
        """Convocations that still hold: not cancelled."""
        return self.exclude(status=ConvocationStatus.CANCELLED)


class Convocation(models.Model):
    """A dossier convoked to a session on a time slot.

    Rules (``juries.services``): the dossier is ready for jury when convoked (it becomes
    scheduled); slots of live convocations of a session never overlap; a dossier holds at most
    one live convocation; cancelling returns the dossier to "en attente de jury" with a notice.
    """

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="convocations")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="convocations")
    starts_at = models.DateTimeField(_("début du créneau"))
    ends_at = models.DateTimeField(_("fin du créneau"))
    status = models.CharField(
        _("statut"), max_length=16, choices=ConvocationStatus.choices, default=ConvocationStatus.CONVOKED
    )
    notice = models.TextField(
        _("motif"),
        blank=True,
        help_text=_("Motif du dernier report ou de l'annulation, communiqué au candidat."),
        **limits.bounded(limits.COMMENT),
    )
    attendance = models.CharField(_("présence"), max_length=16, choices=Attendance.choices, blank=True)
    attendance_recorded_at = models.DateTimeField(_("présence relevée le"), null=True, blank=True)
    sequence = models.PositiveIntegerField(
        _("révision"),
        default=0,
        help_text=_("Augmente à chaque report ou annulation (SEQUENCE du fichier d'agenda)."),
    )
    reminded_at = models.DateTimeField(
        _("rappel envoyé le"),
        null=True,
        blank=True,
        help_text=_("Le rappel part CONVOCATION_REMINDER_DAYS jours avant le créneau, une fois."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ConvocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        ordering = ["session", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="convocation_slot_ends_after_start"),
            models.UniqueConstraint(
                fields=["dossier"],
                condition=~Q(status=ConvocationStatus.CANCELLED),
                name="one_live_convocation_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier.candidate} — {self.session}"

    @property
    def is_live(self) -> bool:
        return self.status != ConvocationStatus.CANCELLED


# --- what the jury does: declarations, scorings, decisions, procès-verbal ---------------------


class ConflictDeclaration(models.Model):
    """A member's word about their link with a candidate, given before opening the dossier.

    Any link but "aucun lien" is a conflict: the dossier is hidden from the member, who neither
    scores nor deliberates on that candidate. A conflict, once declared, is never withdrawn.
    """

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="declarations")
    convocation = models.ForeignKey(Convocation, on_delete=models.CASCADE, related_name="declarations")
    link = models.CharField(_("lien avec le candidat"), max_length=16, choices=LinkKind.choices)
    comment = models.TextField(_("précisions"), blank=True, **limits.bounded(limits.COMMENT))
    declared_at = models.DateTimeField(_("déclaré le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("déclaration de lien")
        verbose_name_plural = _("déclarations de lien")
        ordering = ["convocation", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "convocation"], name="one_declaration_per_member_and_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.member.user} / {self.convocation.dossier.candidate}: {self.get_link_display()}"

    @property
    def is_conflict(self) -> bool:
        return self.link != LinkKind.NONE


class Evaluation(models.Model):
    """One member × one candidate × one grille (a bloc's, or the transversal assessment's).

    The grille is the one frozen with the dossier's certification version. ``version`` grows with
    every save; a save that started from an older version is a conflict, never an overwrite.
    Validated, it is read-only for its author unless the président reopens it.
    """

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="evaluations")
    convocation = models.ForeignKey(Convocation, on_delete=models.CASCADE, related_name="evaluations")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("grille"))
    comment = models.TextField(_("appréciation générale"), blank=True, **limits.bounded(limits.NARRATIVE))
    status = models.CharField(
        _("état"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("rouverte le"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(
        _("motif de la réouverture"),
        blank=True,
        help_text=_("Ce que le président demande de revoir, montré au membre."),
        **limits.bounded(limits.COMMENT),
    )
    created_at = models.DateTimeField(_("commencée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("notation")
        verbose_name_plural = _("notations")
        ordering = ["convocation", "rubric", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "convocation", "rubric"], name="one_evaluation_per_member_candidate_and_rubric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.user} / {self.convocation_id} / {self.rubric}"

    @property
    def is_validated(self) -> bool:
        return self.status == EvaluationStatus.VALIDATED


class CriterionScore(models.Model):
    """The level a member chose for one criterion, with an optional remark."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(RubricLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    remark = models.TextField(_("remarque"), blank=True, **limits.bounded(limits.REMARK))

    class Meta:
        verbose_name = _("niveau choisi")
        verbose_name_plural = _("niveaux choisis")
        ordering = ["evaluation", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.level_id or '—'}"


class DivergenceSettlement(models.Model):
    """The level the président retains for a criterion on which the members diverge (two levels
    or more apart), with the justification the procès-verbal shows. One per criterion and
    candidate; set again while the jury has not decided."""

    convocation = models.ForeignKey(Convocation, on_delete=models.CASCADE, related_name="settlements")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+", verbose_name=_("grille"))
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("critère")
    )
    level = models.ForeignKey(RubricLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("niveau retenu"))
    justification = models.TextField(_("justification"), **limits.bounded(limits.LONG_TEXT))
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("par")
    )
    settled_at = models.DateTimeField(_("tranchée le"))

    class Meta:
        verbose_name = _("divergence tranchée")
        verbose_name_plural = _("divergences tranchées")
        ordering = ["convocation", "rubric", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["convocation", "criterion"], name="one_settlement_per_criterion"),
            models.CheckConstraint(condition=~Q(justification=""), name="settlement_has_a_justification"),
        ]

    def __str__(self) -> str:
        return f"{self.convocation_id} / {self.criterion_id}: {self.level_id}"


class DecisionQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True)


class Decision(models.Model):
    """The jury's decision on a candidate, recorded by the président.

    Never overwritten: a revoked decision keeps its row (who, when, why) and a new decision is a
    new row. At most one decision in force per convocation.
    """

    convocation = models.ForeignKey(Convocation, on_delete=models.PROTECT, related_name="decisions")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="jury_decisions")
    result = models.CharField(_("résultat"), max_length=48, choices=JuryResult.choices)
    comment = models.TextField(_("observations du jury"), blank=True, **limits.bounded(limits.LONG_TEXT))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("par")
    )
    decided_at = models.DateTimeField(_("décidée le"))
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("révoquée par"),
    )
    revocation_reason = models.TextField(_("motif de la révocation"), blank=True, **limits.bounded(limits.LONG_TEXT))

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision du jury")
        verbose_name_plural = _("décisions du jury")
        ordering = ["convocation", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convocation"], condition=Q(revoked_at__isnull=True), name="one_decision_in_force"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""), name="revocation_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_result_display()}"

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None


class BlockDecision(models.Model):
    """Validé or non validé for one bloc (or the transversal assessment), with its reasons and,
    when not validated, the compétences still to prove (préconisations)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    block = models.ForeignKey(Block, on_delete=models.PROTECT, null=True, blank=True, related_name="jury_decisions")
    assessment_method = models.ForeignKey(
        AssessmentMethod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("épreuve transversale"),
    )
    validated = models.BooleanField(_("validé"))
    justification = models.TextField(_("justification"), **limits.bounded(limits.LONG_TEXT))
    competencies_to_prove = models.ManyToManyField(
        Competency, blank=True, related_name="+", verbose_name=_("compétences restant à démontrer")
    )
    recommendations = models.TextField(_("préconisations"), blank=True, **limits.bounded(limits.LONG_TEXT))
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("décision sur un bloc")
        verbose_name_plural = _("décisions sur les blocs")
        ordering = ["decision", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(block__isnull=False, assessment_method__isnull=True)
                | Q(block__isnull=True, assessment_method__isnull=False),
                name="block_decision_for_block_or_transversal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.block or self.assessment_method}: {'validé' if self.validated else 'non validé'}"

    @property
    def label(self) -> str:
        if self.block_id:
            return f"{self.block.label} — {self.block.title}"
        return str(_("Épreuve transversale : %(title)s") % {"title": self.assessment_method})


class Minutes(models.Model):
    """The procès-verbal of a session. Final once every present member has signed the same
    content; its content is then frozen with its SHA-256 and the session is closed."""

    session = models.OneToOneField(JurySession, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(_("état"), max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    content = models.JSONField(_("contenu"), null=True, blank=True, editable=False)
    content_sha256 = models.CharField(_("empreinte SHA-256 du contenu"), max_length=64, blank=True)
    finalised_at = models.DateTimeField(_("définitif le"), null=True, blank=True)
    composition_override_reason = models.TextField(
        _("motif de la dérogation à la règle de composition"),
        blank=True,
        help_text=_("Écrit par un administrateur : le procès-verbal est signé malgré la règle de composition."),
        **limits.bounded(limits.LONG_TEXT),
    )
    composition_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dérogation accordée par"),
    )
    composition_override_at = models.DateTimeField(_("dérogation accordée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("ouvert le"), auto_now_add=True)

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("Procès-verbal — %(session)s") % {"session": self.session})

    @property
    def is_final(self) -> bool:
        return self.status == MinutesStatus.FINAL


class Signature(models.Model):
    """A member's sign-off of the procès-verbal as it stood (its content's SHA-256), while
    logged in. A sign-off of an older content no longer counts: the member signs again."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="signatures")
    content_sha256 = models.CharField(_("empreinte signée"), max_length=64)
    signed_at = models.DateTimeField(_("signé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature du procès-verbal")
        verbose_name_plural = _("signatures du procès-verbal")
        ordering = ["minutes", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "member", "content_sha256"], name="one_signature_per_content")
        ]

    def __str__(self) -> str:
        return f"{self.member.user} — {self.signed_at:%Y-%m-%d %H:%M}"


def jury_document_upload_to(instance, filename: str) -> str:
    """Where the former ``JuryDocument`` stored its files (named by migration 0002; the rows
    and files moved to ``documents.GeneratedDocument`` keep these names)."""
    return f"jury/{instance.session_id}/{instance.kind}-{uuid.uuid4().hex}.pdf"


class JuryDocumentManager(models.Manager.from_queryset(GeneratedDocumentQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(dossier__isnull=True)

    def of_session(self, session):
        """The session's procès-verbal and its candidates' letters and attestations."""
        return self.filter(Q(session=session) | Q(convocation__session=session))


class JuryDocument(GeneratedDocument):
    """The jury's PDFs (procès-verbal, decision letter, attestation of acquired blocs): the
    ``GeneratedDocument`` rows owned by a session or a convocation (kinds: ``juries.documents``)."""

    objects = JuryDocumentManager()

    class Meta:
        proxy = True
        verbose_name = _("document du jury")
        verbose_name_plural = _("documents du jury")
        ordering = ["kind", "pk"]

    @property
    def jury_session(self) -> JurySession:
        return self.session if self.session_id else self.convocation.session

    @property
    def decision(self) -> Decision | None:
        """The decision a letter or an attestation states (the convocation's in force)."""
        if not self.convocation_id:
            return None
        return self.convocation.decisions.in_force().select_related("dossier__candidate").first()
