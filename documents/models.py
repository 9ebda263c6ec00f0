"""A generated PDF: one row per request, rendered by a Celery worker (``documents.tasks``).

State changes go through ``documents.services`` only. A submitted snapshot has at most one
document of each kind (the same snapshot renders once); a draft preview has no snapshot.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.enums import DocumentKind, DocumentStatus
from dossiers.models import Dossier, Snapshot


def document_upload_to(instance, filename: str) -> str:
    return f"documents/{instance.dossier_id}/{instance.kind}-{uuid.uuid4().hex}.pdf"


class GeneratedDocumentQuerySet(models.QuerySet):
    def latest_for(self, dossier: Dossier, kind: str):
        """The most recent document of ``kind`` for ``dossier`` (None if there is none)."""
        return self.filter(dossier=dossier, kind=kind).order_by("-created_at", "-pk").first()


class GeneratedDocument(models.Model):
    kind = models.CharField(_("nature"), max_length=20, choices=DocumentKind.choices)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("version déposée"),
        help_text=_("Vide pour un aperçu du brouillon."),
    )
    status = models.CharField(_("état"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    retries = models.PositiveSmallIntegerField(
        _("relances"), default=0, help_text=_("Relances demandées après un échec (settings.DOCUMENTS_MAX_RETRIES).")
    )
    error = models.TextField(_("erreur"), blank=True)
    file = models.FileField(_("fichier"), upload_to=document_upload_to, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    pdfa = models.BooleanField(
        _("PDF/A-3b"),
        default=False,
        help_text=_("Faux quand une preuve insérée telle quelle n'est pas compatible PDF/A."),
    )
    content_sha256 = models.CharField(_("empreinte du contenu rendu"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("demandé par")
    )
    task_id = models.CharField(_("tâche Celery"), max_length=64, blank=True)
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    queued_at = models.DateTimeField(_("mis en file le"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = GeneratedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document généré")
        verbose_name_plural = _("documents générés")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "snapshot"],
                condition=Q(snapshot__isnull=False),
                name="one_document_per_snapshot_and_kind",
            )
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — dossier {self.dossier_id} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)

    @property
    def is_draft(self) -> bool:
        return self.kind == DocumentKind.PREVIEW

    @property
    def download_name(self) -> str:
        prefix = {
            DocumentKind.VALIDATION: "dossier-de-validation",
            DocumentKind.FEASIBILITY: "demande-de-recevabilite",
            DocumentKind.PREVIEW: "apercu-brouillon",
        }[self.kind]
        number = f"-{self.snapshot.number}" if self.snapshot_id else ""
        return f"{prefix}-{self.dossier_id}{number}.pdf"
