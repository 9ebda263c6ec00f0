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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("révoqué par"),
    )

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
