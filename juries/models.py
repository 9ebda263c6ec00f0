"""Jury sessions: when and where a jury sits, who sits on it, who is convoked and when.

State changes go through ``juries.services`` (which also moves the dossiers through
``dossiers.services``). Scoring, conflict declarations and the procès-verbal build on these
three models (issue 6): a ``JuryMember`` is the person who scores, a live ``Convocation`` is a
candidate they score.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification
from dossiers.models import Dossier
from juries.enums import Attendance, ConvocationStatus, JuryRole, SessionStatus


def awaiting_invitation(user) -> bool:
    """An account created by a jury invitation whose owner has not chosen a password yet."""
    return not user.is_active and not user.has_usable_password()


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
    place = models.TextField(_("lieu"), blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("nombre de candidats au plus"))
    instructions = models.TextField(
        _("consignes aux candidats"), blank=True, help_text=_("Ce que le candidat doit apporter ou préparer.")
    )
    notes = models.TextField(_("notes internes"), blank=True)
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
        when = timezone.localtime(self.starts_at).strftime("%d/%m/%Y %H:%M")
        return f"{self.certification.code or self.certification.title[:40]} — {when}"

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
        _("invité(e) par e-mail"), default=False, help_text=_("Le compte a été créé par cette invitation.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ajouté(e) le"), auto_now_add=True)

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
        _("motif"), blank=True, help_text=_("Motif du dernier report ou de l'annulation, communiqué au candidat.")
    )
    attendance = models.CharField(_("présence"), max_length=16, choices=Attendance.choices, blank=True)
    attendance_recorded_at = models.DateTimeField(_("présence relevée le"), null=True, blank=True)
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
