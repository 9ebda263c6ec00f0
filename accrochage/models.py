"""Declaring certified holders to the Caisse des Dépôts (SI CPF « accrochage »).

- ``CdcAccount``: a certifier's identifiers at the CDC (client id, contract id).
- the civil identity the flux needs is ``dossiers.CivilIdentity`` (the one the dossier de
  faisabilité asks); what the flux needs beyond it (place of birth) is asked of the candidate on
  their dossier before the jury; never shown to jurors (no jury page reads it).
- ``Passage``: one declaration (or withdrawal) of one holder's certification, keyed at the CDC by
  its stable ``id_technique``; its status follows the flux and the CDC's processing report.
- ``Flux``: one XML file built for a period by a worker, with its progress and XSD check.
See docs/accrochage.md.
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification, Certifier
from dossiers.models import Dossier
from juries.models import Decision

client_id_validator = RegexValidator(
    r"^[0-9A-Z]{8}$", _("L'identifiant client de la CDC compte 8 caractères (chiffres et majuscules).")
)
contract_id_validator = RegexValidator(
    r"^[0-9A-Z]{1,20}$", _("Le numéro de contrat compte au plus 20 caractères (chiffres et majuscules).")
)


class CdcAccount(models.Model):
    organisation = models.OneToOneField(Certifier, on_delete=models.CASCADE, related_name="cdc_account")
    client_id = models.CharField(_("identifiant client (idClient)"), max_length=8, validators=[client_id_validator])
    contract_id = models.CharField(
        _("numéro de contrat (idContrat)"), max_length=20, validators=[contract_id_validator]
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("identifiants CDC")
        verbose_name_plural = _("identifiants CDC")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.client_id}"


class PassageAction(models.TextChoices):
    CREATION = "CREATION", _("déclaration")
    DELETION = "SUPPRESSION", _("retrait")


class PassageStatus(models.TextChoices):
    TO_DECLARE = "to_declare", _("à déclarer")
    SENT = "sent", _("dans un flux, en attente du compte rendu")
    DECLARED = "declared", _("déclaré")
    REJECTED = "rejected", _("refusé par la CDC : à corriger")
    CANCELLED = "cancelled", _("annulé avant envoi")


class Passage(models.Model):
    id_technique = models.UUIDField(_("idTechnique"), default=uuid.uuid4, editable=False)
    action = models.CharField(_("action"), max_length=12, choices=PassageAction.choices)
    organisation = models.ForeignKey(Certifier, on_delete=models.PROTECT, related_name="cdc_passages")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="cdc_passages")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="cdc_passages")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="cdc_passages")
    awarded_on = models.DateField(_("date de délivrance (dateDebutValidite)"))
    status = models.CharField(
        _("état"), max_length=12, choices=PassageStatus.choices, default=PassageStatus.TO_DECLARE, db_index=True
    )
    flux = models.ForeignKey("Flux", null=True, blank=True, on_delete=models.SET_NULL, related_name="passages")
    cdc_reason = models.TextField(_("motif de la CDC"), blank=True)
    declared_at = models.DateTimeField(_("déclaré le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("passage à déclarer")
        verbose_name_plural = _("passages à déclarer")
        ordering = ["certification__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "action"], name="one_passage_per_decision_and_action"),
            models.UniqueConstraint(fields=["id_technique", "action"], name="one_id_technique_per_action"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.id_technique}"


class FluxStatus(models.TextChoices):
    QUEUED = "queued", _("en file d'attente")
    RUNNING = "running", _("en cours de construction")
    DONE = "done", _("prêt")
    FAILED = "failed", _("échec")


def flux_upload_to(instance, filename: str) -> str:
    return f"cdc/{instance.organisation_id}/{instance.id_flux}.xml"


class Flux(models.Model):
    id_flux = models.UUIDField(_("idFlux"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Certifier, on_delete=models.PROTECT, related_name="cdc_fluxes")
    action = models.CharField(_("action"), max_length=12, choices=PassageAction.choices)
    period_start = models.DateField(_("jurys du"))
    period_end = models.DateField(_("jurys au"))
    status = models.CharField(_("état"), max_length=10, choices=FluxStatus.choices, default=FluxStatus.QUEUED)
    total = models.PositiveIntegerField(_("passages"), default=0)
    done = models.PositiveIntegerField(_("passages écrits"), default=0)
    file = models.FileField(_("fichier"), upload_to=flux_upload_to, blank=True)
    xsd_checked = models.BooleanField(_("contrôlé par le XSD de la CDC"), default=False)
    error = models.TextField(_("erreur"), blank=True)
    report_received_at = models.DateTimeField(_("compte rendu reçu le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("flux CDC")
        verbose_name_plural = _("flux CDC")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="flux_period")
        ]

    def __str__(self) -> str:
        return f"{self.id_flux} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)
