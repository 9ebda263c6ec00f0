"""The procès-verbal of a session: signed by every present member, then final.

Rules:
- the procès-verbal is signed from the session's day on, once every convoked candidate is
  decided, while the session is programmed; a member noted absent does not sign;
- a member signs it as it stands: the SHA-256 of its content (``queries.minutes_content``); a
  change afterwards (a link declared, a presence) asks for signing again;
- when every present member has signed the same content it is final: content frozen, SHA-256
  logged, session closed, PDFs rendered (procès-verbal, decision letters, attestations when a
  bloc is validated), candidates told. Blocs validated then are acquired for life
  (``juries.acquired``);
- each signature is written to the audit trail (``audit.services.record``), in the history of
  every dossier of the session;
- the present members must meet the certification's jury rule (``queries.composition``): a
  composition that breaks it keeps the procès-verbal from being signed, with the reason, unless
  an administrator overrides the rule with a written reason (``override_composition``), which the
  audit trail and the procès-verbal keep.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit import services as audit
from documents.services import request_document
from dossiers.models import Dossier
from dossiers.snapshots import canonical_sha256
from juries import notifications
from juries.enums import JuryDocumentKind, MinutesStatus, SessionStatus
from juries.models import Decision, JuryMember, JurySession, Minutes, Signature
from juries.queries import composition, minutes_content
from juries.services.errors import JuryError
from juries.services.locking import ensure_open, ensure_started, locked_session, not_started_reason

logger = logging.getLogger(__name__)


def minutes_problems(session: JurySession) -> list[str]:
    """What keeps the procès-verbal from being signed (empty: it can be)."""
    problems = []
    if session.status == SessionStatus.CANCELLED:
        return [_("La session est annulée : elle n'a pas de procès-verbal.")]
    if not_started := not_started_reason(session):
        problems.append(not_started)
    live = list(
        session.convocations.live().prefetch_related(Prefetch("decisions", queryset=Decision.objects.in_force()))
    )
    if not live:
        problems.append(_("Aucun candidat n'est convoqué à cette session."))
    undecided = sum(1 for c in live if not c.decisions.all())
    if undecided:
        problems.append(
            ngettext(
                "Le jury n'a pas encore rendu sa décision pour %(n)s candidat.",
                "Le jury n'a pas encore rendu sa décision pour %(n)s candidats.",
                undecided,
            )
            % {"n": undecided}
        )
    overridden = Minutes.objects.filter(session=session).exclude(composition_override_reason="").exists()
    if not overridden and (broken := composition_problem(session)):
        problems.append(broken)
    return problems


def composition_problem(session: JurySession, members: list[JuryMember] | None = None) -> str:
    """Why the present members break the certification's jury rule (empty when they meet it,
    or when the certification states no rule). ``members``: the session's, when already read."""
    members = members if members is not None else list(session.members.all())
    result = composition(session, [m for m in members if m.present])
    if not result.rule_defined or result.ok:
        return ""
    return _(
        "La composition du jury ne respecte pas la règle de la certification : %(problems)s "
        "Le procès-verbal ne peut pas être signé, sauf dérogation écrite d'un administrateur."
    ) % {"problems": " ".join(result.problems)}


@transaction.atomic
def override_composition(session: JurySession, actor, reason: str) -> Minutes:
    """An administrator lets the procès-verbal be signed although the composition breaks the
    rule; the reason is in the audit trail and in the procès-verbal."""
    if not getattr(actor, "is_superuser", False):
        raise JuryError(_("Seul un administrateur peut déroger à la règle de composition du jury."))
    reason = reason.strip()
    if not reason:
        raise JuryError(_("Écrivez le motif de la dérogation : il figure au procès-verbal."))
    session = locked_session(session.pk)
    ensure_open(session)
    minutes, _created = Minutes.objects.select_for_update().get_or_create(session=session)
    if minutes.is_final:
        raise JuryError(_("Le procès-verbal est définitif : tous les membres présents l'ont signé."))
    if not composition_problem(session):
        raise JuryError(_("La composition respecte la règle de la certification : aucune dérogation n'est nécessaire."))
    minutes.composition_override_reason = reason
    minutes.composition_override_by = actor
    minutes.composition_override_at = timezone.now()
    minutes.save(update_fields=["composition_override_reason", "composition_override_by", "composition_override_at"])
    for dossier_id in session.convocations.live().values_list("dossier_id", flat=True):
        audit.record(
            "jury.composition_override",
            actor=actor,
            target=minutes,
            target_repr=str(minutes),
            dossier=Dossier(pk=dossier_id),
            comment=reason,
        )
    logger.info("Composition rule of session %s overridden by %s", session.pk, actor.pk)
    return minutes


@transaction.atomic
def sign_minutes(session: JurySession, member: JuryMember) -> Signature:
    """A present member signs the procès-verbal as it stands; the last signature makes it final."""
    session = locked_session(session.pk)
    member = JuryMember.objects.select_related("user").get(pk=member.pk)
    if member.session_id != session.pk:
        raise JuryError(_("Vous ne siégez pas dans cette session."))
    minutes = Minutes.objects.select_for_update().filter(session=session).first()
    if minutes is not None and minutes.is_final:
        raise JuryError(_("Le procès-verbal est définitif : tous les membres présents l'ont signé."))
    ensure_open(session)
    ensure_started(session)
    problems = minutes_problems(session)
    if problems:
        raise JuryError(problems[0])
    if not member.present:
        raise JuryError(_("Votre absence à la session est notée : vous ne signez pas son procès-verbal."))
    content = minutes_content(session)
    sha256 = canonical_sha256(content)
    if minutes is None:
        minutes = Minutes.objects.create(session=session)
    signature, created = Signature.objects.get_or_create(minutes=minutes, member=member, content_sha256=sha256)
    if created:
        logger.info("Minutes of session %s signed by member %s (content %s)", session.pk, member.pk, sha256)
        # One row per dossier of the minutes: the signature shows in each one's history.
        for dossier_id in session.convocations.live().values_list("dossier_id", flat=True):
            audit.record(
                "jury.minutes_signed",
                actor=member.user,
                target=minutes,
                target_repr=str(minutes),
                dossier=Dossier(pk=dossier_id),
                changes={"sha256": [None, sha256]},
            )
    present = set(session.members.filter(present=True).values_list("pk", flat=True))
    signed = set(minutes.signatures.filter(content_sha256=sha256).values_list("member_id", flat=True))
    if present <= signed:
        _finalise(session, minutes, content, sha256)
    return signature


def _finalise(session: JurySession, minutes: Minutes, content: dict[str, Any], sha256: str) -> None:
    minutes.status = MinutesStatus.FINAL
    minutes.content = content
    minutes.content_sha256 = sha256
    minutes.finalised_at = timezone.now()
    minutes.save(update_fields=["status", "content", "content_sha256", "finalised_at"])
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status", "updated_at"])
    logger.info("Minutes of session %s are final: content SHA-256 %s", session.pk, sha256)
    request_document(JuryDocumentKind.MINUTES, session=session)
    decisions = Decision.objects.in_force().filter(convocation__session=session).prefetch_related("items")
    for decision in decisions:
        request_document(JuryDocumentKind.DECISION_LETTER, convocation=decision.convocation)
        if any(i.validated and i.block_id for i in decision.items.all()):
            request_document(JuryDocumentKind.ATTESTATION, convocation=decision.convocation)
        transaction.on_commit(partial(notifications.result_available, decision.pk))
