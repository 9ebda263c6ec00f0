"""A generated PDF of any kind: one row per request, rendered by a Celery worker (``documents.tasks``).

State changes go through ``documents.services`` only. What each kind renders, for whom, under
which name, is declared in ``documents.registry``.

A document belongs to exactly one owner: a dossier (its PDFs), a jury convocation (the decision
letter, the attestation) or a jury session (the procès-verbal) — three nullable foreign keys
and a check constraint that exactly one is set. Foreign keys rather than a generic relation:
the database keeps the reference whole, and a document goes with its owner (cascade). The keys
to the jury's tables are named by string: ``documents`` imports nothing from ``juries``.

A submitted snapshot has at most one document of each kind (the same snapshot renders once); a
draft preview has no snapshot; a session or a convocation has at most one of each kind.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents import registry
from documents.enums import DocumentKind, DocumentStatus
from dossiers.models import Dossier, Snapshot


def document_upload_to(instance, filename: str) -> str:
    if instance.dossier_id:
        folder = str(instance.dossier_id)
    else:
        folder = f"session-{instance.session_id}" if instance.session_id else f"convocation-{instance.convocation_id}"
    return f"documents/{folder}/{instance.kind}-{uuid.uuid4().hex}.pdf"


class GeneratedDocumentQuerySet(models.QuerySet):
    def latest_for(self, dossier: Dossier, kind: str):
        """The most recent document of ``kind`` for ``dossier`` (None if there is none)."""
        return self.filter(dossier=dossier, kind=kind).order_by("-created_at", "-pk").first()


class GeneratedDocument(models.Model):
    kind = models.CharField(_("nature"), max_length=20, help_text=_("Un code de documents.registry."))
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    convocation = models.ForeignKey(
        "juries.Convocation", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    session = models.ForeignKey(
        "juries.JurySession", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
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
            ),
            models.UniqueConstraint(
                fields=["kind", "convocation"],
                condition=Q(convocation__isnull=False),
                name="one_document_per_convocation_and_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "session"], condition=Q(session__isnull=False), name="one_document_per_session_and_kind"
            ),
            models.CheckConstraint(
                condition=Q(dossier__isnull=False, convocation__isnull=True, session__isnull=True)
                | Q(dossier__isnull=True, convocation__isnull=False, session__isnull=True)
                | Q(dossier__isnull=True, convocation__isnull=True, session__isnull=False),
                name="document_has_exactly_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        owners = [f"{name} {getattr(self, f'{name}_id')}" for name in registry.OWNERS if getattr(self, f"{name}_id")]
        owner = owners[0] if owners else "—"
        return f"{self.get_kind_display()} — {owner} ({self.get_status_display()})"

    def get_kind_display(self) -> str:
        return str(self.kind_spec.label)

    @property
    def kind_spec(self) -> registry.Kind:
        return registry.get(self.kind)

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.DONE and bool(self.file)

    @property
    def is_pending(self) -> bool:
        return self.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)

    @property
    def is_draft(self) -> bool:
        return self.kind == DocumentKind.PREVIEW

    @property
    def download_name(self) -> str:
        return self.kind_spec.file_name(self)
