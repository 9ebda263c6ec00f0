"""A certifier organisation's connection to France VAE, the France VAE candidatures it brought in
(``FranceVaeLink``: one per dossier), their files, the outbox of messages going back (one row per
message, unique key: each is sent once) and the sync log a certifier reads on the dossier page."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from certifications.models import Certifier
from dossiers.models import Dossier
from francevae.enums import Direction, DocumentKind, MessageKind, MessageStatus


class Connection(models.Model):
    organisation = models.OneToOneField(
        Certifier, on_delete=models.CASCADE, related_name="francevae_connection", verbose_name=_("organisme")
    )
    base_url = models.URLField(
        _("adresse de l'API"), help_text=_("Par exemple https://vae.gouv.fr/interop/v1 (sans barre finale).")
    )
    authority_id = models.CharField(_("identifiant du certificateur sur France VAE"), max_length=100)
    token_encrypted = models.TextField(_("jeton d'accès (chiffré)"), blank=True, editable=False)
    paused = models.BooleanField(_("en pause"), default=False)
    invite_candidates = models.BooleanField(
        _("inviter les candidats à poursuivre sur le portail"),
        default=False,
        help_text=_("Un e-mail les invite à choisir un mot de passe pour suivre leur dossier ici."),
    )
    last_sync_at = models.DateTimeField(_("dernière synchronisation"), null=True, blank=True)
    last_sync_ok = models.BooleanField(_("dernière synchronisation réussie"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("connexion France VAE")
        verbose_name_plural = _("connexions France VAE")

    def __str__(self) -> str:
        return f"France VAE — {self.organisation}"

    @property
    def has_token(self) -> bool:
        return bool(self.token_encrypted)


class FranceVaeLink(models.Model):
    """A France VAE candidature ↔ the portal dossier it became, with what was last read."""

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="links")
    candidature_id = models.CharField(_("identifiant de la candidature"), max_length=64)
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="francevae_link")
    feasibility_hash = models.CharField(_("empreinte du dossier de faisabilité lu"), max_length=64, blank=True)
    feasibility_status = models.CharField(_("statut sur France VAE"), max_length=32, blank=True)
    validation_hash = models.CharField(_("empreinte du dossier de validation lu"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("candidature France VAE")
        verbose_name_plural = _("candidatures France VAE")
        constraints = [
            models.UniqueConstraint(fields=["connection", "candidature_id"], name="unique_francevae_candidature")
        ]

    def __str__(self) -> str:
        return self.candidature_id


def document_upload_to(instance, filename: str) -> str:
    return f"francevae/{instance.link.dossier_id}/{uuid.uuid4().hex}"


class FranceVaeDocument(models.Model):
    """A file of a France VAE dossier, downloaded and checked like any upload (``dossiers.uploads``)."""

    link = models.ForeignKey(FranceVaeLink, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("nature"), max_length=20, choices=DocumentKind.choices)
    name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    file = models.FileField(_("fichier"), upload_to=document_upload_to)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document France VAE")
        verbose_name_plural = _("documents France VAE")
        ordering = ["kind", "received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["link", "sha256"], name="unique_francevae_document")]

    def __str__(self) -> str:
        return self.name


class OutboxMessage(models.Model):
    """One message to France VAE. ``key`` names what it reports (a transition, a convocation slot,
    a decision): the same event never makes two messages, and a sent message is never sent again."""

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="messages")
    link = models.ForeignKey(FranceVaeLink, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("nature"), max_length=32, choices=MessageKind.choices)
    key = models.CharField(_("clé d'unicité"), max_length=200, unique=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    fields = models.JSONField(_("contenu"), default=dict)
    multipart = models.BooleanField(default=False)
    attachment = models.JSONField(
        _("PDF joint"),
        default=dict,
        blank=True,
        help_text=_(
            "Le PDF du portail joint au message (« document ») : {kind, owner, id} d'un document généré, "
            "lu au moment de l'envoi."
        ),
    )
    status = models.CharField(
        _("état"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("message vers France VAE")
        verbose_name_plural = _("messages vers France VAE")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key})"


class SyncEntry(models.Model):
    """What was received or sent, when, and France VAE's answer: the sync log of a dossier."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="entries")
    link = models.ForeignKey(FranceVaeLink, on_delete=models.CASCADE, null=True, blank=True, related_name="entries")
    direction = models.CharField(_("sens"), max_length=4, choices=Direction.choices)
    summary = models.CharField(_("objet"), max_length=255)
    status_code = models.PositiveSmallIntegerField(_("réponse HTTP"), null=True, blank=True)
    answer = models.TextField(_("réponse de France VAE"), blank=True)
    ok = models.BooleanField(_("réussi"), default=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("entrée du journal France VAE")
        verbose_name_plural = _("journal France VAE")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.summary
