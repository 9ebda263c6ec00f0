"""The audit trail: who changed what, and when, as rows written by the services.

One table for every kind of change the services make (a statement saved, a proof added, a
bloc renamed, later a jury decision or a signature), written in the same transaction as the
change itself: a change without its row, or a row without its change, cannot exist. State
changes keep their own logs (``dossiers.TransitionLog``, ``certifications.CertificationEvent``):
the history pages read them alongside (``backoffice.history``). See docs/audit.md.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.actions import label


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    # Consecutive saves of one statement by one person are one row (``saves`` counts them):
    # ``updated_at`` is the last of them.
    updated_at = models.DateTimeField(_("dernière modification le"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("par"),
        help_text=_("Vide : le système (commande, tâche planifiée)."),
    )
    # A dotted code ("proof.added"): no ``choices``, so that an app adds its actions without a
    # migration here; their French labels live in ``audit.actions``.
    action = models.CharField(_("action"), max_length=64, db_index=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
        verbose_name=_("dossier"),
    )
    certification = models.ForeignKey(
        "certifications.Certification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        verbose_name=_("certification"),
    )
    target_type = models.CharField(_("type d'objet"), max_length=100, blank=True)
    target_id = models.PositiveBigIntegerField(_("identifiant de l'objet"), null=True, blank=True)
    target_repr = models.CharField(_("objet"), max_length=255, blank=True)
    # {field: [before, after]}; long texts as {"chars": n, "sha256": "…"} (see ``audit.services``).
    changes = models.JSONField(_("modifications"), default=dict, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    saves = models.PositiveIntegerField(_("enregistrements"), default=1)

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["dossier", "created_at"]),
            models.Index(fields=["certification", "created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}".strip()

    @property
    def label(self) -> str:
        return label(self.action)
