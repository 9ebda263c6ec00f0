"""Accompaniment organisations (France VAE's "AAP"), their staff, and what they do for the
candidates they accompany: comments, an opinion on the recevabilité request, meetings.

A dossier is "accompagné" while an ``Accompaniment`` of it is accepted, "autonome" otherwise.
Every state change goes through ``accompaniment.services``; who sees what is
``accompaniment.permissions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accompaniment.enums import LIVE_STATES, AccompanimentState, MeetingKind, MeetingMode, Verdict
from certifications.models import Certification, Competency
from core import limits
from dossiers.models import Dossier, Experience


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    contact_email = models.EmailField(_("e-mail de contact"))
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    certifications = models.ManyToManyField(
        Certification,
        related_name="accompaniment_organisations",
        blank=True,
        verbose_name=_("certifications accompagnées"),
        help_text=_("Une version suffit : l'organisme accompagne toutes les versions de la certification."),
    )
    on_site = models.BooleanField(_("accompagnement sur place"), default=True)
    remote = models.BooleanField(_("accompagnement à distance"), default=False)
    accessible = models.BooleanField(_("locaux accessibles (personnes à mobilité réduite)"), default=False)
    active = models.BooleanField(_("active"), default=True, help_text=_("Proposée aux candidats."))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisme d'accompagnement")
        verbose_name_plural = _("organismes d'accompagnement")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The organisation's team page, where an admin (or its manager) adds its staff: the
        Django admin's « Voir sur le site » leads there."""
        return reverse("accompaniment:team", args=[self.pk])

    @property
    def departement(self) -> str:
        """The département, from the postcode (Corsica's 20xxx are 2A/2B, overseas 97x)."""
        code = self.postcode or ""
        if code.startswith("97"):
            return code[:3]
        if code.startswith("20"):
            return "2A" if code < "20200" else "2B"
        return code[:2]


class StaffMember(models.Model):
    """A person working for an organisation; a manager adds and deactivates colleagues."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff", verbose_name=_("organisme")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accompaniment_roles")
    is_manager = models.BooleanField(_("responsable"), default=False)
    active = models.BooleanField(_("actif"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("désactivé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("accompagnateur")
        verbose_name_plural = _("accompagnateurs")
        ordering = ["organisation", "user__email"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="accompaniment_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class AccompanimentQuerySet(models.QuerySet):
    def live(self):
        return self.filter(state__in=LIVE_STATES)


class Accompaniment(models.Model):
    """One organisation accompanying one dossier: requested by the candidate, accepted or
    declined by the organisation, then ended by it or left by the candidate."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="accompaniments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="accompaniments", verbose_name=_("organisme")
    )
    state = models.CharField(
        _("état"), max_length=12, choices=AccompanimentState.choices, default=AccompanimentState.REQUESTED
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("accepté ou refusé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True, max_length=limits.LONG_TEXT)

    objects = AccompanimentQuerySet.as_manager()

    class Meta:
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(state__in=LIVE_STATES), name="accompaniment_one_live_per_dossier"
            )
        ]
        # An organisation's list (``views.home``): its current candidates first, the latest first.
        indexes = [
            models.Index(
                "organisation",
                "state",
                models.F("decided_at").desc(),
                models.F("id").desc(),
                name="accompaniment_listed_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.dossier_id} ({self.get_state_display()})"


class Comment(models.Model):
    """An accompagnateur's comment on a compétence or an experience of a dossier, which the
    candidate reads beside the text and marks as done."""

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    competency = models.ForeignKey(Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    experience = models.ForeignKey(Experience, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("commentaire"), max_length=limits.LONG_TEXT)
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    done_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        verbose_name = _("commentaire d'accompagnateur")
        verbose_name_plural = _("commentaires d'accompagnateur")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(competency__isnull=False) | Q(experience__isnull=False),
                name="accompaniment_comment_has_target",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Opinion(models.Model):
    """The organisation's opinion on the recevabilité request, with the préconisations and the
    planned parcours of the legal model of the dossier de faisabilité with accompaniment."""

    accompaniment = models.OneToOneField(Accompaniment, on_delete=models.CASCADE, related_name="opinion")
    verdict = models.CharField(_("avis"), max_length=12, choices=Verdict.choices)
    comment = models.TextField(_("commentaire"), max_length=limits.LONG_TEXT)
    recommendations = models.TextField(_("préconisations"), blank=True, max_length=limits.LONG_TEXT)
    individual_hours = models.PositiveIntegerField(_("heures d'accompagnement individuel prévues"), default=0)
    collective_hours = models.PositiveIntegerField(_("heures d'accompagnement collectif prévues"), default=0)
    training_hours = models.PositiveIntegerField(_("heures de formation prévues"), default=0)
    mandatory_training = models.TextField(_("formations obligatoires"), blank=True, max_length=limits.LONG_TEXT)
    basic_skills = models.TextField(_("savoirs de base"), blank=True, max_length=limits.LONG_TEXT)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    given_at = models.DateTimeField(_("donné le"))
    candidate_accepted_at = models.DateTimeField(_("parcours accepté par le candidat le"), null=True, blank=True)

    class Meta:
        verbose_name = _("avis sur la recevabilité")
        verbose_name_plural = _("avis sur la recevabilité")

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} — {self.accompaniment}"


class Meeting(models.Model):
    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    kind = models.CharField(_("type"), max_length=12, choices=MeetingKind.choices)
    mode = models.CharField(_("modalité"), max_length=12, choices=MeetingMode.choices)
    topic = models.CharField(_("sujet"), max_length=255)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("rendez-vous d'accompagnement")
        verbose_name_plural = _("rendez-vous d'accompagnement")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} — {self.topic}"
