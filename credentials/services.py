"""Issuing and revoking badges. Every change here is atomic and row-locked.

Rules:
- badges are issued for a session once its procès-verbal is final (``issue_for_session``, run by
  a worker after the commit that made it final): for each decision in force, one badge per
  validated bloc and, when this decision completed the candidate's whole certification
  (``juries.acquired.whole_certification_held``: the jury validated it whole, or validated the
  last blocs missing when the others were acquired for life earlier), one for the
  certification; an épreuve transversale gives none of its own;
- the issuer is the certification's certifier (the first by name when there are several); a
  certification without a certifier gives no badge (logged);
- issuing again changes nothing (one badge per decision and bloc);
- revoking a decision revokes its badges in the same transaction (``revoke_for_decision``): their
  bits in the certifier's status list are set from then on. A new decision at another jury gives
  new badges.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit import services as audit
from credentials import openbadges
from credentials.models import Badge
from juries.acquired import whole_certification_held
from juries.enums import MinutesStatus
from juries.models import Decision, JurySession

logger = logging.getLogger(__name__)


def issuer_of(certification):
    return certification.certifiers.order_by("legal_name", "pk").first()


def _free_index(organisation_id: int) -> int:
    """A random unused bit: neighbours in the list say nothing about each other."""
    used = set(Badge.objects.filter(organisation_id=organisation_id).values_list("status_index", flat=True))
    size = settings.BADGE_STATUS_LIST_SIZE
    if len(used) >= size:
        raise RuntimeError(f"The revocation list of organisation {organisation_id} is full")
    while True:
        index = secrets.randbelow(size)
        if index not in used:
            return index


def _issue(decision: Decision, block, organisation, name: str) -> Badge | None:
    lookup = {"decision": decision, "block": block}
    if Badge.objects.filter(**lookup).exists():
        return None
    session = decision.convocation.session
    candidate = decision.dossier.candidate
    for _attempt in range(5):
        try:
            with transaction.atomic():
                badge = Badge.objects.create(
                    **lookup,
                    organisation=organisation,
                    candidate=candidate,
                    name=name[:900],
                    status_index=_free_index(organisation.pk),
                    token="",
                )
                payload = openbadges.credential(
                    badge,
                    email=candidate.email,
                    salt=secrets.token_hex(16),
                    jury_date=session.starts_at,
                    decided_at=decision.decided_at,
                )
                badge.token = openbadges.sign(payload, organisation.pk)
                badge.save(update_fields=["token"])
                return badge
        except IntegrityError:
            if Badge.objects.filter(**lookup).exists():
                return None  # issued meanwhile by another worker
    raise RuntimeError("No free bit found in the revocation list after five attempts")


@transaction.atomic
def issue_for_decision(decision_id: int) -> list[Badge]:
    """The badges of one decision, if it is in force and its procès-verbal is final."""
    decision = (
        # Only the decision row: PostgreSQL refuses FOR UPDATE on the nullable side of the minutes' join.
        Decision.objects.select_for_update(of=("self",))
        .select_related("dossier__candidate", "dossier__certification", "convocation__session__minutes")
        .get(pk=decision_id)
    )
    minutes = getattr(decision.convocation.session, "minutes", None)
    if not decision.in_force or minutes is None or minutes.status != MinutesStatus.FINAL:
        return []
    certification = decision.dossier.certification
    organisation = issuer_of(certification)
    if organisation is None:
        logger.warning("No badge for decision %s: certification %s has no certifier", decision.pk, certification.pk)
        return []
    issued = []
    for item in decision.items.filter(validated=True, block__isnull=False).select_related("block"):
        block = item.block
        assert block is not None  # for mypy: filtered on block__isnull=False
        badge = _issue(decision, block, organisation, block.title)
        if badge:
            issued.append(badge)
    held = whole_certification_held(decision.dossier.candidate, certification)
    if held is not None and held.decision.pk == decision.pk:
        badge = _issue(decision, None, organisation, certification.title)
        if badge:
            issued.append(badge)
    for badge in issued:
        audit.record(
            "credentials.badge_issued",
            actor=None,
            target=badge,
            target_repr=badge.name,
            dossier=decision.dossier,
            changes={"badge": [None, str(badge.uuid)]},
        )
    if issued:
        logger.info("Decision %s: %s badge(s) issued by organisation %s", decision.pk, len(issued), organisation.pk)
    return issued


def issue_for_session(session_id: int) -> list[Badge]:
    session = JurySession.objects.get(pk=session_id)
    issued = []
    for decision_id in Decision.objects.in_force().filter(convocation__session=session).values_list("pk", flat=True):
        issued += issue_for_decision(decision_id)
    return issued


@transaction.atomic
def revoke_for_decision(decision: Decision) -> int:
    """Flip the status bit of every badge of a revoked decision."""
    count = Badge.objects.filter(decision=decision, revoked_at__isnull=True).update(
        revoked_at=decision.revoked_at or timezone.now()
    )
    if count:
        audit.record(
            "credentials.badges_revoked",
            actor=decision.revoked_by,
            target=decision,
            target_repr=str(decision.get_result_display()),
            dossier=decision.dossier,
            comment=decision.revocation_reason,
        )
        logger.info("Decision %s revoked: %s badge(s) revoked", decision.pk, count)
    return count


def revoked_indexes(organisation_id: int) -> list[int]:
    return list(
        Badge.objects.filter(organisation_id=organisation_id, revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    )
