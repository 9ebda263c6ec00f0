"""Tokens of the interop API, and the answers kept for idempotency keys.

A token belongs to one certifier organisation and acts through its own technical account
(``ApiToken.user``): a staff member of that organisation only, with an unusable password and
inactive, so that it never logs in to the pages. Everything the API reads is looked up through
the back office's scoping functions for that account, and every write goes through the services
with that account as actor: the audit trail and the dossiers' timelines name the token.
State changes go through ``api.tokens``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certifications.models import Certifier


def person_who(verbose_name) -> models.ForeignKey:
    """Who did something to a row (created, revoked it): kept if the account goes, never a back link."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )


class Scope(models.TextChoices):
    READ = "lecture", _("lecture : référentiels, candidatures, dossiers, jurys, documents")
    DECISIONS = "decisions", _("décisions : recevabilité et examen du dossier de validation")
    JURY = "jury", _("jury : convocations")
    REFERENTIALS = "referentiels", _("référentiels : brouillons et publication")


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        Certifier, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("organisme")
    )
    name = models.CharField(
        _("nom"), max_length=100, help_text=_("Le système qui l'utilise, par exemple « SI scolarité ».")
    )
    scopes = models.JSONField(_("droits"), default=list)
    prefix = models.CharField(_("début du jeton"), max_length=16, unique=True, editable=False)
    key_sha256 = models.CharField(_("empreinte SHA-256 du jeton"), max_length=64, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
        verbose_name=_("compte technique"),
    )
    created_by = person_who(_("créé par"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = person_who(_("révoqué par"))

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["organisation", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def get_scopes_display(self) -> str:
        return ", ".join(self.scopes)


class IdempotentResponse(models.Model):
    """The answer to a POST or PUT sent with an ``Idempotency-Key``, replayed for 24 hours."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="idempotent_responses")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("réponse rejouable")
        verbose_name_plural = _("réponses rejouables")
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="one_response_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.token_id} / {self.key}"


# --- webhooks ------------------------------------------------------------------------------


class WebhookEventType(models.TextChoices):
    """What an endpoint subscribes to. The payload's ``type`` is one of these; ``donnees.action``
    says which step (``recevabilite`` / ``validation``, ``emise`` / ``reportee`` / ``annulee``)."""

    DOSSIER_DEPOSITED = "dossier.depose", _("dossier déposé (demande de recevabilité, dossier de validation)")
    DECISION = "dossier.decision", _("décision (recevabilité, examen du dossier de validation)")
    CONVOCATION = "convocation", _("convocation (émise, reportée, annulée)")
    MINUTES_FINAL = "procesVerbal.definitif", _("procès-verbal définitif (résultats disponibles)")


class WebhookEndpoint(models.Model):
    """A URL of a certifier's system that receives the events of its organisation's scope.

    Rules (``api.webhooks``): https in production (http only where ``API_WEBHOOKS_ALLOW_HTTP``
    allows it); never a private or loopback address unless ``API_WEBHOOKS_ALLOW_PRIVATE``; the
    secret signs every delivery and is shown once, at creation.
    """

    organisation = models.ForeignKey(
        Certifier, on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("organisme")
    )
    url = models.URLField(_("adresse"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("événements"), default=list)
    secret = models.CharField(_("secret de signature"), max_length=100, editable=False)
    is_active = models.BooleanField(_("actif"), default=True)
    created_by = person_who(_("créé par"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["organisation", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.url}"

    def get_events_display(self) -> str:
        labels = dict(WebhookEventType.choices)
        return ", ".join(str(labels.get(e, e)) for e in self.events)


class WebhookMessageStatus(models.TextChoices):
    PENDING = "pending", _("en cours d'envoi")
    DELIVERED = "delivered", _("remis")
    FAILED = "failed", _("abandonné après 24 h")


class WebhookMessage(models.Model):
    """One event for one endpoint: the signed body, sent until the endpoint answers 2xx or 24 hours
    have passed. Each attempt is a ``WebhookDelivery`` row."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages")
    event_id = models.UUIDField(_("identifiant de l'événement"), db_index=True)
    event_type = models.CharField(_("événement"), max_length=32, choices=WebhookEventType.choices)
    body = models.TextField(_("corps JSON"))
    status = models.CharField(
        _("état"), max_length=16, choices=WebhookMessageStatus.choices, default=WebhookMessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    created_at = models.DateTimeField(_("émis le"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("remis le"), null=True, blank=True)

    class Meta:
        verbose_name = _("événement à remettre")
        verbose_name_plural = _("événements à remettre")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="one_message_per_endpoint_event")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.endpoint_id}"


class WebhookDelivery(models.Model):
    """One attempt to deliver a message: what the endpoint answered, or why it could not."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveIntegerField(_("tentative"))
    started_at = models.DateTimeField(_("envoyé le"), auto_now_add=True, db_index=True)
    status_code = models.PositiveSmallIntegerField(_("code HTTP"), null=True, blank=True)
    response_excerpt = models.TextField(_("début de la réponse"), blank=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    succeeded = models.BooleanField(_("réussi"), default=False)
    replay = models.BooleanField(_("renvoi manuel"), default=False)

    class Meta:
        verbose_name = _("tentative de remise")
        verbose_name_plural = _("tentatives de remise")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.attempt}: {self.status_code or self.error[:40]}"


class ImportedResult(models.Model):
    """A jury decision imported through the API (``PUT /sessionsJury/{id}/resultats``): by which
    token, when. A decision without this row was made in the portal."""

    decision = models.OneToOneField("juries.Decision", on_delete=models.CASCADE, related_name="imported")
    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="imported_results")
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("résultat importé")
        verbose_name_plural = _("résultats importés")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.decision_id} ← {self.token_id}"
