"""Every change of the declaration to the Caisse des Dépôts. See docs/accrochage.md.

Rules:
- a holder to declare is a candidate who now holds the whole certification
  (``juries.acquired.whole_certification_held``: a final decision validating the whole
  certification, or validating the last blocs missing when the others were acquired for life
  earlier): one CREATION passage for the decision that completed it, declared by the
  certification's certifier (the first by name when there are several), dated
  (``dateDebutValidite``) on the day of that jury; blocs are not declared (docs/accrochage.md);
  passages are created when the procès-verbal becomes final, before a flux, or on the certifier's
  request, never when a page is displayed;
- a revoked decision: a passage never sent is cancelled; one sent or declared gets a SUPPRESSION
  passage with the same ``idTechnique``;
- a flux takes the passages to declare of one organisation and action whose jury falls in the
  period and whose holder gave their identity; once written they are "sent": nothing is ever in
  two fluxes, nothing declared twice;
- the CDC's report marks each passage of the organisation by its ``idTechnique``: OK declared
  (with the date), KO refused with the CDC's reason; a refused passage goes back to "à déclarer"
  when the holder's identity is corrected, or when the certifier puts it back;
- the holder's identity can be changed until a passage of the dossier is sent, and again when the
  CDC refused it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accrochage.errors import CdcError
from accrochage.models import (
    CdcAccount,
    Flux,
    FluxStatus,
    Passage,
    PassageAction,
    PassageStatus,
)
from audit import services as audit
from dossiers.models import CivilIdentity
from juries.acquired import FULL_SUCCESSES, whole_certification_held
from juries.enums import MinutesStatus
from juries.models import Decision

logger = logging.getLogger(__name__)
MAX_PASSAGES = 200_000  # the CDC's limit per file; the rest goes into the next flux


def issuer_of(certification):
    return certification.certifiers.order_by("legal_name", "pk").first()


@transaction.atomic
def save_account(organisation, client_id: str, contract_id: str, actor) -> CdcAccount:
    account, _created = CdcAccount.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"client_id": client_id, "contract_id": contract_id}
    )
    account.client_id, account.contract_id = client_id, contract_id
    account.full_clean()
    account.save()
    audit.record("cdc.account_saved", actor=actor, target=account, target_repr=str(organisation))
    return account


IDENTITY_FIELDS = [
    "birth_name",
    "usage_name",
    "first_name1",
    "first_name2",
    "first_name3",
    "sex",
    "birth_date",
    "born_in_france",
    "birth_insee_code",
    "birth_postcode",
    "birth_city",
    "birth_country_code",
]


def identity_locked(dossier) -> bool:
    """Sent to the CDC (or declared), and not refused since: the identity is frozen."""
    return dossier.cdc_passages.filter(status__in=[PassageStatus.SENT, PassageStatus.DECLARED]).exists()


@transaction.atomic
def save_identity(dossier, data: dict, actor) -> CivilIdentity:
    dossier = dossier.__class__.objects.select_for_update().get(pk=dossier.pk)
    if identity_locked(dossier):
        raise CdcError(
            _("Votre identité a déjà été transmise à la Caisse des Dépôts : demandez au certificateur de la corriger.")
        )
    identity = CivilIdentity.objects.filter(dossier=dossier).first() or CivilIdentity(dossier=dossier)
    for name in IDENTITY_FIELDS:
        setattr(identity, name, data.get(name, getattr(identity, name)))
    identity.full_clean()
    identity.save()
    back = dossier.cdc_passages.filter(status=PassageStatus.REJECTED).update(status=PassageStatus.TO_DECLARE, flux=None)
    audit.record(
        "cdc.identity_saved",
        actor=actor,
        target=identity,
        target_repr=str(_("Identité pour la Caisse des Dépôts")),
        dossier=dossier,
        changes={"corrected_passages": [None, back]} if back else None,
    )
    return identity


def _candidate_decisions():
    """Final decisions that may complete a whole certification: a full success (of the whole
    certification, or of the blocs targeted when blocs acquired earlier make up the rest)."""
    return Decision.objects.in_force().filter(
        result__in=FULL_SUCCESSES, convocation__session__minutes__status=MinutesStatus.FINAL
    )


def _record(decision: Decision, organisation) -> bool:
    """The CREATION passage of ``decision`` if it completed its holder's whole certification
    (``juries.acquired.whole_certification_held``), dated on the day it did."""
    certification = decision.dossier.certification
    held = whole_certification_held(decision.dossier.candidate, certification)
    if held is None or held.decision.pk != decision.pk:
        return False
    _passage, made = Passage.objects.get_or_create(
        decision=decision,
        action=PassageAction.CREATION,
        defaults={
            "organisation": organisation,
            "certification": certification,
            "dossier": decision.dossier,
            "awarded_on": held.since,
        },
    )
    return made


@transaction.atomic
def sync_passages(organisation) -> int:
    """Create the passages of the organisation's new holders; returns how many. Run when a
    procès-verbal becomes final (``record_session``), before a flux is built, and by the
    certifier's « Rechercher les nouveaux titulaires » (never on a page's display)."""
    decisions = (
        _candidate_decisions()
        .filter(dossier__certification__certifiers=organisation)
        .exclude(cdc_passages__action=PassageAction.CREATION)
        .select_related("dossier__certification", "dossier__candidate")
        .distinct()
    )
    created = 0
    for decision in decisions.iterator(chunk_size=500):
        if issuer_of(decision.dossier.certification) == organisation:
            created += _record(decision, organisation)
    return created


@transaction.atomic
def record_session(session_id: int) -> int:
    """A procès-verbal became final: the passages of the session's new holders."""
    decisions = (
        _candidate_decisions()
        .filter(convocation__session_id=session_id)
        .exclude(cdc_passages__action=PassageAction.CREATION)
        .select_related("dossier__certification", "dossier__candidate")
    )
    created = 0
    for decision in decisions:
        organisation = issuer_of(decision.dossier.certification)
        if organisation is not None:
            created += _record(decision, organisation)
    return created


@transaction.atomic
def withdraw_for_decision(decision: Decision) -> Passage | None:
    """A revoked decision: cancel its passage if never sent, else queue its withdrawal."""
    passage = Passage.objects.select_for_update().filter(decision=decision, action=PassageAction.CREATION).first()
    if passage is None:
        return None
    if passage.status in (PassageStatus.TO_DECLARE, PassageStatus.REJECTED):
        passage.status = PassageStatus.CANCELLED
        passage.save(update_fields=["status", "updated_at"])
        return None
    if passage.status == PassageStatus.CANCELLED:
        return None
    withdrawal, _created = Passage.objects.get_or_create(
        decision=decision,
        action=PassageAction.DELETION,
        defaults={
            "id_technique": passage.id_technique,
            "organisation": passage.organisation,
            "certification": passage.certification,
            "dossier": passage.dossier,
            "awarded_on": passage.awarded_on,
        },
    )
    return withdrawal


def eligible(organisation, action: str, start: dt.date, end: dt.date):
    return Passage.objects.filter(
        organisation=organisation,
        action=action,
        status=PassageStatus.TO_DECLARE,
        flux__isnull=True,
        awarded_on__gte=start,
        awarded_on__lte=end,
        dossier__civil_identity__birth_city__gt="",
    )


@transaction.atomic
def request_flux(organisation, start: dt.date, end: dt.date, actor, action: str = PassageAction.CREATION) -> Flux:
    """Claim the passages to declare in the period and queue the flux's building."""
    if end < start:
        raise CdcError(_("La fin de la période précède son début."))
    if not CdcAccount.objects.filter(organisation=organisation).exists():
        raise CdcError(_("Renseignez d'abord les identifiants CDC de l'organisme (client et contrat)."))
    sync_passages(organisation)
    flux = Flux.objects.create(
        organisation=organisation, action=action, period_start=start, period_end=end, created_by=actor
    )
    # One UPDATE in the database (no list of ids in memory); "flux is null" checked again on each
    # row, so two fluxes built at once never take the same passage.
    claimed = eligible(organisation, action, start, end).order_by("pk").values("pk")[:MAX_PASSAGES]
    flux.total = Passage.objects.filter(flux__isnull=True, pk__in=Subquery(claimed)).update(flux=flux)
    if not flux.total:
        raise CdcError(_("Aucun titulaire à déclarer sur cette période (ou leur identité manque encore)."))
    flux.save(update_fields=["total"])
    audit.record("cdc.flux_requested", actor=actor, target=flux, target_repr=str(flux.id_flux))
    transaction.on_commit(lambda: publish(flux.pk))
    return flux


def publish(flux_id: int) -> bool:
    from accrochage.tasks import build_flux

    try:
        build_flux.delay(flux_id)
    except Exception:
        logger.exception("Could not queue CDC flux %s", flux_id)
        return False
    return True


def release(flux: Flux, error: str) -> None:
    """A flux that failed gives its passages back to the next one."""
    with transaction.atomic():
        Passage.objects.filter(flux=flux, status=PassageStatus.TO_DECLARE).update(flux=None)
        Flux.objects.filter(pk=flux.pk).update(status=FluxStatus.FAILED, error=error[:5000], finished_at=timezone.now())


@transaction.atomic
def mark_sent(flux: Flux) -> None:
    Passage.objects.filter(flux=flux, status=PassageStatus.TO_DECLARE).update(status=PassageStatus.SENT)


@transaction.atomic
def put_back(passage: Passage, actor) -> Passage:
    passage = Passage.objects.select_for_update().get(pk=passage.pk)
    if passage.status != PassageStatus.REJECTED:
        raise CdcError(_("Seul un passage refusé par la CDC peut être remis à déclarer."))
    passage.status, passage.flux = PassageStatus.TO_DECLARE, None
    passage.save(update_fields=["status", "flux", "updated_at"])
    audit.record("cdc.passage_put_back", actor=actor, target=passage, dossier=passage.dossier)
    return passage


@transaction.atomic
def apply_report(organisation, results, actor, flux: Flux | None = None) -> dict[str, int]:
    """``results``: (idTechnique or None, ok, reason) triples read from the CDC's processing
    report (``accrochage.report``). Uploaded on a flux's page (``flux``), a report that names
    another flux (its ``idFlux``) is refused; the flux is marked as having its report."""
    id_flux = getattr(results, "id_flux", "")
    if flux is not None and id_flux and id_flux.lower() != str(flux.id_flux):
        raise CdcError(
            _(
                "Ce compte rendu porte sur le flux %(other)s, pas sur celui-ci (%(this)s) : "
                "importez-le sur la page de son flux."
            )
            % {"other": id_flux, "this": flux.id_flux}
        )
    counts = {"ok": 0, "ko": 0, "unknown": 0}
    now = timezone.now()
    for id_technique, ok, reason in results:
        passage = None
        if id_technique is not None:
            passage = (
                Passage.objects.select_for_update()
                .filter(
                    Q(status=PassageStatus.SENT) | Q(status=PassageStatus.REJECTED),
                    organisation=organisation,
                    id_technique=id_technique,
                )
                .order_by("-pk")
                .first()
            )
        if passage is None:
            counts["unknown"] += 1
            continue
        if ok:
            passage.status, passage.declared_at, passage.cdc_reason = PassageStatus.DECLARED, now, ""
            counts["ok"] += 1
        else:
            passage.status, passage.cdc_reason = PassageStatus.REJECTED, reason or _("(motif non précisé)")
            counts["ko"] += 1
        passage.save(update_fields=["status", "declared_at", "cdc_reason", "updated_at"])
    if flux is not None and flux.report_received_at is None:
        Flux.objects.filter(pk=flux.pk, report_received_at__isnull=True).update(report_received_at=now)
    audit.record("cdc.report_applied", actor=actor, target=flux or organisation, changes={"count": [None, counts]})
    return counts
