"""A dossier's message thread (candidate ↔ the certifier's staff ↔ the accompagnateur's
organisation, when one accompanies the dossier) and the staff's annotations.

Writes go through ``messaging.services`` only; who reads what is ``messaging.permissions``.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import limits
from dossiers.enums import ScanStatus
from dossiers.models import Dossier


class Side(models.TextChoices):
    """Which side of the thread wrote a message."""

    CANDIDATE = "candidate", _("candidat")
    CERTIFIER = "certifier", _("certificateur")
    ACCOMPAGNATEUR = "accompagnateur", _("accompagnateur")


def attachment_upload_to(instance, filename: str) -> str:
    # Random names on disk, as for proofs: the original (sanitised) name is kept in the row.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"messages/{instance.message.dossier_id}/{uuid.uuid4().hex}{suffix}"


class Message(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages", verbose_name=_("dossier"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    side = models.CharField(_("côté"), max_length=16, choices=Side.choices)
    organisation = models.ForeignKey(
        "accompaniment.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisme accompagnateur"),
        help_text=_("L'organisme au nom duquel l'accompagnateur a écrit."),
    )
    text = models.TextField(_("message"), **limits.bounded(limits.LONG_TEXT))
    requests_correction = models.BooleanField(
        _("demande de correction"),
        default=False,
        help_text=_("Ce message a rouvert le dossier « à compléter »."),
    )
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["dossier", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.get_side_display()} — {self.created_at:%Y-%m-%d %H:%M}"


class MessageAttachment(models.Model):
    """A file sent with a message, checked at upload and scanned exactly like a proof."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    scan_status = models.CharField(
        _("analyse antivirus"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )
    scan_detail = models.CharField(_("résultat de l'analyse"), max_length=255, blank=True)
    scan_updated_at = models.DateTimeField(_("analyse : dernière étape le"), null=True, blank=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.original_name


class MessageRead(models.Model):
    """A read receipt: who (other than its author) first read a message, and when."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("lecteur")
    )
    read_at = models.DateTimeField(_("lu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("accusé de lecture")
        verbose_name_plural = _("accusés de lecture")
        ordering = ["message", "read_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["message", "reader"], name="one_read_per_reader")]

    def __str__(self) -> str:
        return f"{self.message_id} lu par {self.reader_id}"


class AnnotationQuerySet(models.QuerySet):
    def blocking(self):
        """Flagged "à traiter avant décision" and not resolved yet."""
        return self.filter(blocks_decision=True, resolved_at__isnull=True)


class Annotation(models.Model):
    """A note of the certifier's staff on a dossier: never shown to the candidate in the portal
    (pages, e-mails); in their RGPD archive (docs/messaging.md)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="annotations", verbose_name=_("dossier")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    text = models.TextField(_("annotation"), **limits.bounded(limits.LONG_TEXT))
    blocks_decision = models.BooleanField(_("à traiter avant décision"), default=False)
    resolved_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True, db_index=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["dossier", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_blocking(self) -> bool:
        return self.blocks_decision and self.resolved_at is None
