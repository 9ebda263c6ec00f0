"""Every state change of a dossier, and every write a candidate makes, goes through here.

Rules (Code du travail R6412-3 and L6412-2, ../shared/DOMAIN.md):
- one active dossier per certification and candidate;
- in the same calendar year, at most one recevabilité request per certification and three for
  different certifications; earlier requests that targeted blocs do not count (R6412-3,
  alinéas 2 and 3); resubmitting a request returned as incomplete is not a new one;
- the certifier decides within two months of reception; silence is worth recevabilité
  (L6412-2): ``record_implicit_admissibility``, run by the beat (``check_feasibility_deadlines``),
  which also reminds the certifier's staff ``FEASIBILITY_REMINDER_DAYS`` before;
- the recevabilité request is the dossier de faisabilité (``dossiers.feasibility``): every
  mandatory field is checked at submission, each missing one named;
- a transition follows ``TRANSITIONS``; negative decisions need a reason; each one is logged
  and the candidate is e-mailed (links only) once the transaction commits;
- submissions freeze the dossier into a ``Snapshot``, and ask for its PDF in the same
  transaction (``hooks.submitted``, received by the documents app; rendered by a worker once it
  commits; a broker down never fails a submission);
- a statement save that started from an older version is a conflict, never an overwrite;
- every text is bounded (``core.limits``): a longer one is refused with a French message and
  nothing is saved (what was saved before stays);
- every write is recorded in the audit trail (``audit.services.record``) in its transaction,
  with its actor: the candidate's writes take ``actor`` (the dossier's candidate when not
  given: nobody else may write a dossier); consecutive saves of one statement are one row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PdfReader

from audit import services as audit
from certifications.enums import AccessRoute, CertificationStatus
from certifications.models import AssessmentMethod, Block, Certification
from core import limits
from core.errors import DomainError
from core.text import shorten
from dossiers import feasibility, hooks, notifications, scanning, uploads
from dossiers.enums import (
    FEASIBILITY_DECISIONS,
    STATUSES_WITH_IDCC,
    BlockActivity,
    DossierStatus,
    FeasibilityDocumentRole,
    FeasibilitySection,
    Objective,
    ProofKind,
    RequestNature,
    ScanStatus,
    SnapshotKind,
)
from dossiers.models import (
    TRANSITIONS,
    WITHDRAWABLE,
    BlockStatement,
    CivilIdentity,
    CompetencyStatement,
    Dossier,
    Experience,
    Feasibility,
    Proof,
    Snapshot,
    TransitionLog,
    TransversalStatement,
)
from dossiers.permissions import proof_was_submitted
from dossiers.progress import (
    link_count,
    statement_state,  # noqa: F401 -- a read-only rule, also read here by the views
)
from dossiers.snapshots import build_content, canonical_sha256

S = DossierStatus
MAX_REQUESTS_PER_YEAR = 3


class DossierError(DomainError):
    """A refused action; the message is shown to the user as it is."""


class IncompleteDossier(DossierError):
    def __init__(self, missing: list[Missing]):
        self.missing = missing
        n = len(missing)
        super().__init__(
            ngettext(
                "Le dossier est incomplet : %(n)s élément manquant.",
                "Le dossier est incomplet : %(n)s éléments manquants.",
                n,
            )
            % {"n": n}
        )


def missing_of(refusal: Exception) -> list | None:
    """What an ``IncompleteDossier`` says is missing; ``None`` for any other refusal (for
    ``core.actions.attempt(on_refusal=…)``)."""
    return refusal.missing if isinstance(refusal, IncompleteDossier) else None


@dataclass(frozen=True)
class Missing:
    message: str
    url: str
    section: str = ""


@dataclass
class StatementConflict(DossierError):
    """The statement changed since the candidate's tab loaded it: both texts are kept (the
    page shows them side by side; no message)."""

    statement: CompetencyStatement
    theirs: dict
    mine: dict


# --- starting -----------------------------------------------------------------------------


def acquired_blocks_for(candidate, certification: Certification) -> list[Block]:
    """Blocs of ``certification`` validated for ``candidate`` by an earlier decision on the same
    certification (any version), matched by bloc code, else by order. Acquired for life. The
    earlier decisions are the juries' (``hooks.acquired_block_finders``)."""
    earlier = [block for find in hooks.acquired_block_finders for block in find(candidate, certification.lineage)]
    if not earlier:
        return []
    acquired = []
    for block in certification.blocks.all():
        for old in earlier:
            if (block.code and block.code == old.code) or (not block.code and block.order == old.order):
                acquired.append(block)
                break
    return acquired


def check_request_limits(candidate, certification: Certification, today: dt.date | None = None) -> None:
    """Code du travail R6412-3 (al. 2 and 3): in the same calendar year, one recevabilité request
    per certification and three for different certifications; earlier requests that targeted
    blocs de compétences do not count (al. 3)."""
    today = today or timezone.localdate()
    this_year = Dossier.objects.filter(
        candidate=candidate, feasibility_submitted_at__year=today.year, targets_all_blocks=True
    )
    if this_year.filter(certification__lineage=certification.lineage).exists():
        raise DossierError(
            _(
                "Vous avez déjà déposé en %(year)s une demande de recevabilité pour cette certification : le "
                "Code du travail (article R6412-3) n'en permet qu'une par année civile pour une même "
                "certification. Les demandes qui visaient des blocs de compétences ne sont pas comptées."
            )
            % {"year": today.year}
        )
    lineages = set(this_year.values_list("certification__lineage", flat=True))
    if len(lineages) >= MAX_REQUESTS_PER_YEAR:
        raise DossierError(
            _(
                "Vous avez déjà déposé en %(year)s des demandes de recevabilité pour trois certifications "
                "différentes : le Code du travail (article R6412-3) n'en permet pas davantage dans la même "
                "année civile. Les demandes qui visaient des blocs de compétences ne sont pas comptées."
            )
            % {"year": today.year}
        )


def check_open_to_new_candidates(certification: Certification) -> None:
    """A certification whose RNCP registration has ended takes no new candidate (the catalogue
    says « enregistrement expiré »). Dossiers already open go on."""
    if certification.registration_expired and certification.end_of_registration:
        raise DossierError(
            _(
                "L'enregistrement de cette certification au RNCP a pris fin le %(date)s : elle n'est plus "
                "ouverte aux nouvelles candidatures en VAE."
            )
            % {"date": date_format(certification.end_of_registration, "j F Y")}
        )


def _check_no_active_dossier(candidate, certification: Certification, exclude: int | None = None) -> None:
    active = Dossier.objects.active().filter(candidate=candidate, certification__lineage=certification.lineage)
    if exclude:
        active = active.exclude(pk=exclude)
    if active.exists():
        raise DossierError(
            _(
                "Vous avez déjà un dossier en cours pour cette certification : poursuivez-le, ou abandonnez-le "
                "avant d'en commencer un autre."
            )
        )


@transaction.atomic
def start_dossier(candidate, certification: Certification, blocks: list[Block] | None = None) -> Dossier:
    """Open a draft dossier on the published version; ``blocks`` empty or None means all blocs."""
    if certification.status != CertificationStatus.PUBLISHED:
        raise DossierError(_("Cette certification n'est pas ouverte : seule une version publiée peut être visée."))
    # Here rather than in a view, so that every way in (the start page, France VAE's arrivals,
    # the demo) obeys it.
    check_open_to_new_candidates(certification)
    # Lock the candidate's row so that two tabs cannot open two dossiers at once.
    get_user_model().objects.select_for_update().get(pk=candidate.pk)
    _check_no_active_dossier(candidate, certification)
    blocks = list(blocks or [])
    if any(b.certification_id != certification.pk for b in blocks):
        raise DossierError(_("Un bloc choisi n'appartient pas à cette certification."))
    acquired = acquired_blocks_for(candidate, certification)
    all_blocks = set(certification.blocks.all())
    targets_all = not blocks or set(blocks) | set(acquired) >= all_blocks
    if set(acquired) >= all_blocks:
        raise DossierError(_("Vous avez déjà acquis tous les blocs de cette certification."))
    if blocks and set(blocks) <= set(acquired):
        raise DossierError(_("Les blocs choisis sont déjà acquis : choisissez-en au moins un autre."))
    check_request_limits(candidate, certification)
    dossier = Dossier.objects.create(candidate=candidate, certification=certification, targets_all_blocks=targets_all)
    _offer_profile(dossier)
    if not targets_all:
        dossier.target_blocks.set(blocks)
    dossier.acquired_blocks.set(acquired)
    CompetencyStatement.objects.bulk_create(
        CompetencyStatement(dossier=dossier, competency=c) for c in dossier.targeted_competencies()
    )
    TransitionLog.objects.create(
        dossier=dossier, from_status=S.DRAFT, to_status=S.DRAFT, actor=candidate, comment=_("Dossier créé")
    )
    return dossier


# --- transitions --------------------------------------------------------------------------


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("certification", "candidate").get(pk=dossier.pk)


def _transition(
    dossier: Dossier, to: str, actor, comment: str = "", fields: tuple[str, ...] = (), notify: bool = True
) -> Dossier:
    """Move a locked dossier to ``to``: guard, save, log, notify on commit (unless the caller
    sends the e-mail that says it: ``notify=False``)."""
    limits.check(comment, limits.LONG_TEXT, _("Le motif"), DossierError)
    if to not in TRANSITIONS[dossier.status]:
        raise DossierError(
            _("Action impossible : le dossier est « %(state)s ».") % {"state": dossier.get_status_display()}
        )
    from_status = dossier.status
    dossier.status = to
    dossier.save(update_fields=["status", "updated_at", *fields])
    log = TransitionLog.objects.create(
        dossier=dossier, from_status=from_status, to_status=to, actor=actor, comment=comment
    )
    if notify:
        transaction.on_commit(lambda: notifications.transition(log.pk))
    return dossier


def _snapshot(dossier: Dossier, kind: str, actor) -> Snapshot:
    content = build_content(dossier)
    number = Snapshot.objects.filter(dossier=dossier, kind=kind).count() + 1
    return Snapshot.objects.create(
        dossier=dossier,
        kind=kind,
        number=number,
        content=content,
        sha256=canonical_sha256(content),
        created_by=actor,
    )


def feasibility_missing(dossier: Dossier) -> list[Missing]:
    """What the dossier de faisabilité still lacks, section by section, each with a link to
    where it is filled in (``dossiers.feasibility.gaps``)."""
    missing = [Missing(g.message, g.url, g.section) for g in feasibility.gaps(dossier)]
    missing.extend(hooks.submission_missing(dossier, SnapshotKind.FEASIBILITY))
    return missing


@transaction.atomic
def request_feasibility(dossier: Dossier, actor) -> Dossier:
    dossier = _locked(dossier)
    if dossier.status not in (S.DRAFT, S.FEASIBILITY_INCOMPLETE):
        raise DossierError(_("La recevabilité a déjà été demandée."))
    missing = feasibility_missing(dossier)
    if missing:
        raise IncompleteDossier(missing)
    first_request = dossier.feasibility_submitted_at is None
    if first_request:
        check_request_limits(dossier.candidate, dossier.certification)
        dossier.feasibility_submitted_at = timezone.now()
    request = feasibility.feasibility_of(dossier)
    # The two months run from each reception of a complete request (L6412-2).
    request.received_at, request.reminder_sent_at, request.sections_to_complete = timezone.now(), None, []
    request.save(update_fields=["received_at", "reminder_sent_at", "sections_to_complete", "updated_at"])
    snapshot = _snapshot(dossier, SnapshotKind.FEASIBILITY, actor)
    hooks.submitted.send(SnapshotKind.FEASIBILITY, dossier=dossier, snapshot=snapshot, actor=actor)
    return _transition(dossier, S.FEASIBILITY_SUBMITTED, actor, fields=("feasibility_submitted_at",))


def check_decision_blockers(dossier: Dossier) -> None:
    """Refuse a certifier's decision while an app above says it must wait (``hooks.decision_blockers``)."""
    for blocker in hooks.decision_blockers:
        reason = blocker(dossier)
        if reason:
            raise DossierError(reason)


@transaction.atomic
def decide_feasibility(
    dossier: Dossier, actor, decision: str, comment: str = "", sections: list[str] | tuple = ()
) -> Dossier:
    """Certifier's decision: admissible, feasibility_incomplete (what is missing, and which
    sections of the dossier de faisabilité: ``sections``) or inadmissible (reason)."""
    if decision not in FEASIBILITY_DECISIONS:
        raise DossierError(_("Décision inconnue."))
    if decision != S.ADMISSIBLE and not comment.strip():
        raise DossierError(_("Indiquez le motif : il sera communiqué au candidat."))
    sections = (
        [s for s in FeasibilitySection.values if s in set(sections)] if decision == S.FEASIBILITY_INCOMPLETE else []
    )
    dossier = _locked(dossier)
    if dossier.status != S.FEASIBILITY_SUBMITTED:
        raise DossierError(_("Aucune demande de recevabilité n'est en attente sur ce dossier."))
    if decision != S.FEASIBILITY_INCOMPLETE:
        check_decision_blockers(dossier)
    if sections:
        request = feasibility.feasibility_of(dossier)
        request.sections_to_complete = sections
        request.save(update_fields=["sections_to_complete", "updated_at"])
    return _transition(dossier, decision, actor, comment)


def validation_missing(dossier: Dossier) -> list[Missing]:
    """What stage 2 still lacks: per compétence, a long enough narrative and a proof or experience."""
    min_length = dossier.certification.min_narrative_length
    missing = []
    statements = (
        dossier.statements.select_related("competency__block")
        .annotate(
            n_proofs=Count("proofs", distinct=True, filter=~Q(proofs__scan_status=ScanStatus.INFECTED)),
            n_experiences=Count("experiences", distinct=True),
        )
        .order_by("competency__block__order", "competency__order")
    )
    for s in statements:
        url = reverse("dossiers:competency", args=[dossier.pk, s.competency_id])
        label = f"{s.competency.code} {shorten(s.competency.text, 70)}".strip()
        length = len(s.narrative.strip())
        if length < min_length:
            missing.append(
                Missing(
                    _("« %(c)s » : le récit compte %(n)s caractères, %(min)s au moins sont attendus.")
                    % {"c": label, "n": length, "min": min_length},
                    url,
                )
            )
        if not s.n_proofs and not s.n_experiences:
            missing.append(Missing(_("« %(c)s » : reliez au moins une preuve ou une expérience.") % {"c": label}, url))
    # A transversal assessment of the VAE route only (004's proof of a coordinated mobilisation of
    # the compétences) asks for its own narrative.
    narratives = {t.assessment_method_id: t.narrative for t in dossier.transversal_statements.all()}
    for method in dossier.transversal_assessments().filter(access_routes=AccessRoute.VAE):
        length = len(narratives.get(method.pk, "").strip())
        if length < min_length:
            missing.append(
                Missing(
                    _("« %(t)s » : le récit compte %(n)s caractères, %(min)s au moins sont attendus.")
                    % {"t": shorten(method, 70), "n": length, "min": min_length},
                    reverse("dossiers:transversal", args=[dossier.pk, method.pk]),
                )
            )
    pages = dossier_proof_pages(dossier)
    if pages > settings.DOSSIER_MAX_PROOF_PAGES:
        missing.append(
            Missing(
                _(
                    "Vos preuves ajoutent %(n)s pages au dossier de validation, qui en reproduit %(max)s au plus : "
                    "supprimez des preuves devenues inutiles ou remplacez-les par des versions plus courtes."
                )
                % {"n": pages, "max": settings.DOSSIER_MAX_PROOF_PAGES},
                reverse("dossiers:proofs", args=[dossier.pk]),
            )
        )
    infected = dossier.proofs.filter(scan_status=ScanStatus.INFECTED, statements__isnull=False).distinct()
    for proof in infected.order_by("pk"):
        missing.append(
            Missing(
                _(
                    "La preuve « %(t)s » a été mise en quarantaine par l'antivirus : supprimez-la et déposez une "
                    "version saine."
                )
                % {"t": proof.title},
                reverse("dossiers:proofs", args=[dossier.pk]) + f"#proof-{proof.pk}",
            )
        )
    return missing


@transaction.atomic
def submit_validation(dossier: Dossier, actor) -> Snapshot:
    dossier = _locked(dossier)
    if dossier.status not in (S.ADMISSIBLE, S.VALIDATION_INCOMPLETE):
        raise DossierError(_("Le dossier de validation ne peut pas être déposé dans l'état actuel."))
    missing = validation_missing(dossier)
    if missing:
        raise IncompleteDossier(missing)
    snapshot = _snapshot(dossier, SnapshotKind.VALIDATION, actor)
    hooks.submitted.send(SnapshotKind.VALIDATION, dossier=dossier, snapshot=snapshot, actor=actor)
    dossier.validation_submitted_at = timezone.now()
    _transition(dossier, S.VALIDATION_SUBMITTED, actor, fields=("validation_submitted_at",))
    return snapshot


@transaction.atomic
def review_validation(dossier: Dossier, actor, complete: bool, comment: str = "") -> Dossier:
    """Certifier's review of a dossier de validation: complete (ready for jury) or to complete."""
    if not complete and not comment.strip():
        raise DossierError(_("Indiquez ce qui manque : ce sera communiqué au candidat."))
    dossier = _locked(dossier)
    if dossier.status != S.VALIDATION_SUBMITTED:
        raise DossierError(_("Aucun dossier de validation n'est en attente d'examen."))
    if complete:
        check_decision_blockers(dossier)
    return _transition(dossier, S.READY_FOR_JURY if complete else S.VALIDATION_INCOMPLETE, actor, comment)


@transaction.atomic
def withdraw(dossier: Dossier, actor, comment: str = "") -> Dossier:
    dossier = _locked(dossier)
    if dossier.status not in WITHDRAWABLE:
        raise DossierError(
            _("Le dossier ne peut plus être abandonné dans l'état « %(s)s ».") % {"s": dossier.get_status_display()}
        )
    return _transition(dossier, S.WITHDRAWN, actor, comment)


@transaction.atomic
def mark_scheduled(dossier: Dossier, actor, comment: str = "") -> Dossier:
    """Convoked: no e-mail of the transition, the convocation e-mail (sent by the juries app)
    says both, so that the candidate receives one."""
    return _transition(_locked(dossier), S.SCHEDULED, actor, comment, notify=False)


@transaction.atomic
def unschedule(dossier: Dossier, actor, comment: str, notify: bool = True) -> Dossier:
    """Back to "en attente de jury"; ``notify=False`` when the caller sends the e-mail that says
    why (the juries app's cancellation e-mail)."""
    return _transition(_locked(dossier), S.READY_FOR_JURY, actor, comment, notify=notify)


@transaction.atomic
def mark_decided(dossier: Dossier, actor, comment: str = "") -> Dossier:
    """The jury decided: no e-mail yet. The result is released when the procès-verbal is final
    (the juries app's result e-mail, page, letter and attestation, all at once)."""
    return _transition(_locked(dossier), S.DECIDED, actor, comment, notify=False)


@transaction.atomic
def decision_revoked(dossier: Dossier, actor, reason: str, *, same_session: bool) -> Dossier:
    """The jury's decision was revoked (``juries.services.decisions.revoke_decision``): back to
    "jury programmé" when the same session decides again, else to "en attente de jury"."""
    if not reason.strip():
        raise DossierError(_("Indiquez le motif de la révocation : il sera communiqué au candidat."))
    dossier = _locked(dossier)
    if dossier.status != S.DECIDED:
        raise DossierError(_("Aucune décision n'est rendue sur ce dossier."))
    return _transition(dossier, S.SCHEDULED if same_session else S.READY_FOR_JURY, actor, reason)


# --- candidate writes ---------------------------------------------------------------------
# Each write locks the dossier row first: a submission (which locks it too) and a write cannot
# interleave, so nothing changes in a dossier once it has been frozen.

STATEMENT_TEXT_FIELDS = ("narrative", "self_comment", "self_assessment")
# Free texts: in the audit trail as length and SHA-256, never copied (see ``audit.services``).
STATEMENT_FREE_TEXTS = ("narrative", "self_comment")
EXPERIENCE_FIELDS = (
    "kind",
    "organisation",
    "role",
    "start_date",
    "end_date",
    "hours_per_week",
    "total_hours",
    "activities",
    "working_context",
)
EXPERIENCE_TEXTS = ("activities", "working_context")
PROOF_FIELDS = ("title", "kind", "date", "description")


def _actor(dossier: Dossier, actor):
    """Who writes: the given actor, else the dossier's candidate (the only one who may)."""
    return actor if actor is not None else dossier.candidate


def _statement_label(statement: CompetencyStatement) -> str:
    competency = statement.competency
    return f"{competency.code} {competency.text}".strip()[:255]


def _competency_ids(statements) -> list[int]:
    return sorted(s.competency_id for s in statements)


def _locked_for_writing(dossier: Dossier, *, stage1: bool = False, stage2: bool = False) -> Dossier:
    """The locked dossier, if it is open for this kind of write; ``DossierError`` otherwise."""
    locked = _locked(dossier)
    if (stage1 and locked.feasibility_editable) or (stage2 and locked.validation_editable):
        return locked
    if stage1 and not stage2 and locked.validation_editable:
        raise DossierError(_("La recevabilité est acquise : cette partie du dossier n'est plus modifiable."))
    if stage2 and not stage1 and locked.feasibility_editable:
        raise DossierError(_("Cette partie du dossier s'ouvre une fois la recevabilité acquise."))
    raise DossierError(
        _("Le dossier n'est pas modifiable dans l'état « %(state)s ».") % {"state": locked.get_status_display()}
    )


@transaction.atomic
def save_statement(
    statement: CompetencyStatement | QuerySet[CompetencyStatement],
    base_version: int,
    changes: dict[str, str],
    *,
    experiences=None,
    proofs=None,
    actor=None,
) -> CompetencyStatement:
    """Save text fields (and optionally the experiences and proofs it draws on) of a statement.

    ``version`` counts text changes. A text change that started from an older version than the
    stored one raises ``StatementConflict`` with both versions: the caller shows them side by
    side and the candidate chooses; nothing is lost. Sending again what is already stored (a
    retry whose first answer was lost) is not a conflict. Links are a set: the last write wins.
    Recorded in the audit trail, consecutive saves coalesced (``AUDIT_COALESCE_MINUTES``).

    ``statement`` may be a queryset selecting it within the caller's scope (the candidate's own
    dossiers): the scope is then checked by the same locked read, and a statement outside it
    raises ``CompetencyStatement.DoesNotExist`` (the autosave's page answers 404).
    """
    # The statement's row and its dossier's, locked by one query (the hot path of autosave): the
    # dossier against a submission or a decision, the statement against another tab. No other
    # path locks a statement's row, so taking both at once cannot deadlock with the writes that
    # lock the dossier alone. Not the compétence's row, which every candidate shares. How many
    # proofs and experiences it draws on comes with it (``support_count``, for the answer).
    rows = statement if isinstance(statement, QuerySet) else CompetencyStatement.objects.filter(pk=statement.pk)
    current = (
        rows.select_for_update(of=("self", "dossier"))
        .select_related("competency", "dossier__certification")
        .annotate(
            n_proofs=link_count(CompetencyStatement.proofs.through),
            n_experiences=link_count(CompetencyStatement.experiences.through),
        )
        .get()
    )
    dossier = current.dossier
    if not (dossier.feasibility_editable or dossier.validation_editable):
        raise DossierError(_("Le dossier n'est plus modifiable : il a été transmis."))
    if "narrative" in changes and not dossier.validation_editable:
        raise DossierError(_("Le récit se rédige une fois la recevabilité acquise."))
    if (experiences is not None or proofs is not None) and not dossier.validation_editable:
        raise DossierError(_("Les preuves et expériences se relient une fois la recevabilité acquise."))
    unknown = set(changes) - set(STATEMENT_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Not a statement text field: {sorted(unknown)}")
    limits.check(changes.get("narrative"), limits.NARRATIVE, _("Le récit"), DossierError)
    limits.check(changes.get("self_comment"), limits.COMMENT, _("Le commentaire"), DossierError)
    changed = [f for f in STATEMENT_TEXT_FIELDS if f in changes and getattr(current, f) != changes[f]]
    if changed and current.version != base_version:
        raise StatementConflict(
            statement=current,
            theirs={f: getattr(current, f) for f in STATEMENT_TEXT_FIELDS},
            mine=changes,
        )
    before = audit.values(current, changed, texts=STATEMENT_FREE_TEXTS)
    after: dict = {}
    if experiences is not None:
        experiences = list(experiences)
        if any(e.dossier_id != dossier.pk for e in experiences):
            raise DossierError(_("Une expérience choisie n'appartient pas à ce dossier."))
        before["experiences"] = audit.ids(current.experiences.all())
        after["experiences"] = audit.ids(experiences)
        current.experiences.set(experiences)
    if proofs is not None:
        proofs = list(proofs)
        if any(p.dossier_id != dossier.pk for p in proofs):
            raise DossierError(_("Une preuve choisie n'appartient pas à ce dossier."))
        before["proofs"] = audit.ids(current.proofs.all())
        after["proofs"] = audit.ids(proofs)
        current.proofs.set(proofs)
    if changed:
        for f in changed:
            setattr(current, f, changes[f])
        current.version += 1
        current.save(update_fields=[*changed, "version", "updated_at"])
    elif experiences is not None or proofs is not None:
        current.save(update_fields=["updated_at"])
    after.update(audit.values(current, changed, texts=STATEMENT_FREE_TEXTS))
    current.support_count = (len(proofs) if proofs is not None else current.n_proofs) + (
        len(experiences) if experiences is not None else current.n_experiences
    )
    trail = audit.diff(before, after)
    if trail:
        audit.record(
            "statement.saved",
            actor=_actor(dossier, actor),
            target=current,
            target_repr=_statement_label(current),
            dossier=dossier,
            changes=trail,
            coalesce=dt.timedelta(minutes=settings.AUDIT_COALESCE_MINUTES),
        )
    return current


@transaction.atomic
def save_transversal_statement(
    dossier: Dossier, method: AssessmentMethod, narrative: str, proofs, actor=None
) -> TransversalStatement:
    """The candidate's narrative for a transversal assessment of their route, and the proofs it
    draws on (stage 2, while the dossier de validation is editable; the last save wins)."""
    dossier = _locked(dossier)
    if not dossier.validation_editable:
        raise DossierError(_("Le dossier de validation n'est pas modifiable en ce moment."))
    if not dossier.transversal_assessments().filter(pk=method.pk).exists():
        raise DossierError(_("Cette épreuve transversale n'est pas demandée à votre dossier."))
    limits.check(narrative, limits.NARRATIVE, _("Le récit"), DossierError)
    proofs = list(proofs)
    if any(p.dossier_id != dossier.pk for p in proofs):
        raise DossierError(_("Une preuve choisie n'appartient pas à ce dossier."))
    statement, _created = TransversalStatement.objects.select_for_update().get_or_create(
        dossier=dossier, assessment_method=method
    )
    # The trail keeps the narrative's length and SHA-256, never its text.
    before = {"narrative": audit.summarize(statement.narrative, text=True), "proofs": audit.ids(statement.proofs.all())}
    statement.narrative = narrative
    statement.version += 1
    statement.save(update_fields=["narrative", "version", "updated_at"])
    statement.proofs.set(proofs)
    trail = audit.diff(before, {"narrative": audit.summarize(narrative, text=True), "proofs": audit.ids(proofs)})
    if trail:
        audit.record(
            "transversal.saved",
            actor=_actor(dossier, actor),
            target=statement,
            target_repr=str(method),
            dossier=dossier,
            changes=trail,
            coalesce=dt.timedelta(minutes=settings.AUDIT_COALESCE_MINUTES),
        )
    return statement


# Experiences: open in both stages (the dossier de validation draws on them).


@transaction.atomic
def save_experience(dossier: Dossier, experience: Experience, actor=None) -> Experience:
    """Create or update an experience (its fields already validated by the form)."""
    dossier = _locked_for_writing(dossier, stage1=True, stage2=True)
    if experience.pk and experience.dossier_id != dossier.pk:
        raise DossierError(_("Cette expérience n'appartient pas à ce dossier."))
    new = experience.pk is None
    # The form has already changed the instance: what was stored is read again.
    stored = None if new else Experience.objects.filter(pk=experience.pk).first()
    before = audit.values(stored, EXPERIENCE_FIELDS, texts=EXPERIENCE_TEXTS) if stored else {}
    experience.dossier = dossier
    if new:
        last = dossier.experiences.aggregate(m=Max("order"))["m"]
        experience.order = 0 if last is None else last + 1
    experience.full_clean(exclude=["dossier"])
    experience.save()
    after = audit.values(experience, EXPERIENCE_FIELDS, texts=EXPERIENCE_TEXTS)
    changes = audit.created(after) if new else audit.diff(before, after)
    if new or changes:
        audit.record(
            "experience.added" if new else "experience.updated",
            actor=_actor(dossier, actor),
            target=experience,
            dossier=dossier,
            changes=changes,
        )
    return experience


@transaction.atomic
def delete_experience(dossier: Dossier, experience: Experience, actor=None) -> None:
    dossier = _locked_for_writing(dossier, stage1=True, stage2=True)
    if experience.dossier_id != dossier.pk:
        raise DossierError(_("Cette expérience n'appartient pas à ce dossier."))
    audit.record(
        "experience.deleted",
        actor=_actor(dossier, actor),
        target=experience,
        dossier=dossier,
        changes=audit.deleted(audit.values(experience, EXPERIENCE_FIELDS, texts=EXPERIENCE_TEXTS)),
    )
    experience.delete()


@transaction.atomic
def move_experience(dossier: Dossier, experience: Experience, offset: int, actor=None) -> None:
    """Move an experience up (offset -1) or down (+1) in the list; orders are renumbered 0…n."""
    dossier = _locked_for_writing(dossier, stage1=True, stage2=True)
    items = list(dossier.experiences.order_by("order", "pk"))
    index = next((i for i, e in enumerate(items) if e.pk == experience.pk), None)
    if index is None:
        raise DossierError(_("Cette expérience n'appartient pas à ce dossier."))
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    moved = False
    for order, item in enumerate(items):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
            moved = True
    if moved:
        audit.record("experience.moved", actor=_actor(dossier, actor), target=experience, dossier=dossier)


# Stage 1: sworn statement and identity document.


@transaction.atomic
def sign_sworn_statement(dossier: Dossier, signed: bool, actor=None) -> Dossier:
    dossier = _locked_for_writing(dossier, stage1=True)
    before = audit.values(dossier, ["sworn_statement_at"])
    dossier.sworn_statement_at = timezone.now() if signed else None
    dossier.save(update_fields=["sworn_statement_at", "updated_at"])
    audit.record(
        "dossier.sworn_statement",
        actor=_actor(dossier, actor),
        dossier=dossier,
        changes=audit.diff(before, audit.values(dossier, ["sworn_statement_at"])),
    )
    return dossier


@transaction.atomic
def set_identity_document(dossier: Dossier, uploaded, actor=None) -> Dossier:
    """Check (``uploads.check_upload``: raises ``UploadRejected``) and store the identity document."""
    dossier = _locked_for_writing(dossier, stage1=True)
    checked = uploads.check_upload(uploaded, allowed=uploads.IDENTITY_KINDS)
    identity_fields = ["identity_document_name", "identity_document_sha256"]
    before = audit.values(dossier, identity_fields)
    storage, old_name = dossier.identity_document.storage, dossier.identity_document.name
    dossier.identity_document.save(checked.name, uploaded, save=False)
    dossier.identity_document_name = checked.name
    dossier.identity_document_sha256 = checked.sha256
    scan_fields = scanning.mark_new_file(dossier, scanning.IDENTITY)
    dossier.save(
        update_fields=[
            "identity_document",
            "identity_document_name",
            "identity_document_sha256",
            *scan_fields,
            "updated_at",
        ]
    )
    audit.record(
        "dossier.identity_document",
        actor=_actor(dossier, actor),
        dossier=dossier,
        changes=audit.diff(before, audit.values(dossier, identity_fields)),
    )
    scanning.queue(scanning.IDENTITY, dossier.pk)
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return dossier


# Stage 2: the proof library.


def _statements_for(dossier: Dossier, competencies) -> list[CompetencyStatement]:
    ids = {c.pk for c in competencies}
    statements = list(dossier.statements.filter(competency_id__in=ids))
    if len(statements) != len(ids):
        raise DossierError(_("Une compétence choisie n'est pas visée par ce dossier."))
    return statements


@transaction.atomic
def add_proof(dossier: Dossier, uploaded, *, competencies=(), actor=None, **fields) -> Proof:
    """Check the file (type by content, size, the dossier's quota) and add it to the library,
    linked to ``competencies``. ``fields``: title, kind, date, description; a document of the
    recevabilité request (``feasibility_role``, and ``prerequisite`` for a prerequisite's
    proof) is added while stage 1 is open: ``add_feasibility_document``."""
    stage1 = bool(fields.get("feasibility_role"))
    dossier = _locked_for_writing(dossier, stage1=stage1, stage2=not stage1)
    limits.check(fields.get("description"), limits.SHORT_TEXT, _("La description"), DossierError)
    checked = uploads.check_upload(
        uploaded, used_bytes=dossier_used_bytes(dossier), used_pages=dossier_proof_pages(dossier)
    )
    statements = _statements_for(dossier, competencies)
    proof = Proof(
        dossier=dossier,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        pages=checked.pages,
        **fields,
    )
    proof.file.save(checked.name, uploaded, save=False)
    scanning.mark_new_file(proof, scanning.PROOF)
    try:
        proof.save()
        for statement in statements:
            statement.proofs.add(proof)
        audit.record(
            "proof.added",
            actor=_actor(dossier, actor),
            target=proof,
            dossier=dossier,
            changes=audit.created(
                {
                    **audit.values(proof, [*PROOF_FIELDS, "original_name", "size", "sha256"], texts=["description"]),
                    "competencies": _competency_ids(statements),
                }
            ),
        )
    except Exception:
        if proof.file.name:
            proof.file.storage.delete(proof.file.name)
        raise
    scanning.queue(scanning.PROOF, proof.pk)
    return proof


@transaction.atomic
def update_proof(dossier: Dossier, proof: Proof, *, competencies=None, actor=None) -> Proof:
    """Save a proof's description (title, kind, date, description) and, if given, the
    compétences it is linked to. The file itself never changes: upload a new proof instead."""
    dossier = _locked_for_writing(dossier, stage2=True)
    if proof.dossier_id != dossier.pk:
        raise DossierError(_("Cette preuve n'appartient pas à ce dossier."))
    limits.check(proof.description, limits.SHORT_TEXT, _("La description"), DossierError)
    # The form has already changed the instance: what was stored is read again.
    stored = Proof.objects.get(pk=proof.pk)
    before = audit.values(stored, PROOF_FIELDS, texts=["description"])
    proof.save(update_fields=["title", "kind", "date", "description"])
    after = audit.values(proof, PROOF_FIELDS, texts=["description"])
    if competencies is not None:
        statements = _statements_for(dossier, competencies)
        before["competencies"] = _competency_ids(proof.statements.all())
        after["competencies"] = _competency_ids(statements)
        proof.statements.set(statements)
    changes = audit.diff(before, after)
    if changes:
        audit.record("proof.updated", actor=_actor(dossier, actor), target=proof, dossier=dossier, changes=changes)
    return proof


@transaction.atomic
def delete_proof(dossier: Dossier, proof: Proof, actor=None) -> None:
    """Delete a proof not part of any submitted dossier (a submitted file stays as evidence)."""
    stage1 = bool(proof.feasibility_role)
    dossier = _locked_for_writing(dossier, stage1=stage1, stage2=not stage1)
    if proof.dossier_id != dossier.pk:
        raise DossierError(_("Cette preuve n'appartient pas à ce dossier."))
    if proof_was_submitted(proof):
        raise DossierError(
            _(
                "Cette preuve fait partie d'un dossier déjà déposé : elle est conservée. Vous pouvez la "
                "délier des compétences pour qu'elle ne figure plus dans votre prochain dépôt."
            )
        )
    audit.record(
        "proof.deleted",
        actor=_actor(dossier, actor),
        target=proof,
        dossier=dossier,
        changes=audit.deleted(audit.values(proof, ["title", "original_name", "size", "sha256"])),
    )
    storage, name = proof.file.storage, proof.file.name
    proof.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def dossier_used_bytes(dossier: Dossier) -> int:
    return dossier.proofs.aggregate(total=Sum("size"))["total"] or 0


def dossier_proof_pages(dossier: Dossier) -> int:
    """The pages the dossier's proofs add to its dossier de validation PDF (every proof of the
    library is in it). Proofs uploaded before pages were counted are counted now, once."""
    for proof in dossier.proofs.filter(pages__isnull=True):
        proof.pages = _count_pages(proof)
        Proof.objects.filter(pk=proof.pk).update(pages=proof.pages)
    return dossier.proofs.aggregate(total=Sum("pages"))["total"] or 0


def _count_pages(proof: Proof) -> int:
    kind = next((k for k, t in uploads.CONTENT_TYPES.items() if t == proof.content_type), None)
    if kind != uploads.PDF:
        return uploads.PAGES_OF.get(kind, 0) if kind else 0

    try:
        with proof.file.open("rb") as handle:
            return len(PdfReader(handle, strict=False).pages)
    except Exception:  # unreadable or missing: the PDF says so instead of reproducing it
        return 0


# --- the dossier de faisabilité (dossiers.feasibility; docs/recevabilite.md) ---------------

IDENTITY_FIELDS = CivilIdentity.PERSON_FIELDS
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    FeasibilitySection.NATURE: ("nature", "earlier_decision_date"),
    FeasibilitySection.CERTIFICATION: ("option", "foreign_language", "parcours"),
    FeasibilitySection.PREREQUISITES: ("prerequisites_held",),
    FeasibilitySection.CANDIDATE: (*Feasibility.SITUATION_FIELDS, "objectives"),
    FeasibilitySection.SIGNATURE: ("accompaniment", "comments"),
}
FEASIBILITY_TEXTS = ("titles_held", "comments")
# What a new dossier offers from the candidate's latest one (never retyped).
PROFILE_FIELDS = Feasibility.SITUATION_FIELDS


def _offer_profile(dossier: Dossier) -> None:
    """A new dossier's feasibility starts from what the candidate already gave: their latest
    civil identity and situation, else their account's name, e-mail and telephone."""
    candidate = dossier.candidate
    earlier = Dossier.objects.filter(candidate=candidate).exclude(pk=dossier.pk).order_by("-created_at")
    identity = CivilIdentity.objects.filter(dossier__in=earlier).order_by("-updated_at").first()
    if identity is not None:
        identity.pk, identity.id, identity.dossier = None, None, dossier
        identity._state.adding = True
        identity.save()
    previous = Feasibility.objects.filter(dossier__in=earlier).order_by("-updated_at").first()
    values = {name: getattr(previous, name) for name in PROFILE_FIELDS} if previous else {}
    values.setdefault("email", candidate.email)
    values.setdefault("phone", candidate.phone)
    Feasibility.objects.create(dossier=dossier, **values)


def _check_section(dossier: Dossier, section: str, values: dict) -> None:
    """Values outside the certification's lists or the model's are refused."""
    cert = dossier.certification
    if section == FeasibilitySection.CERTIFICATION:
        for name, choices in (
            ("option", cert.options),
            ("foreign_language", cert.foreign_languages),
            ("parcours", cert.parcours),
        ):
            if values.get(name) and values[name] not in choices:
                raise DossierError(_("« %(v)s » n'est pas proposé par cette certification.") % {"v": values[name]})
    if section == FeasibilitySection.PREREQUISITES:
        held = values.get("prerequisites_held") or {}
        unknown = set(held) - set(cert.regulatory_prerequisites)
        if unknown or not all(isinstance(v, bool) for v in held.values()):
            raise DossierError(_("Un prérequis indiqué n'est pas un prérequis de cette certification."))
    if section == FeasibilitySection.CANDIDATE:
        objectives = values.get("objectives") or []
        if len(objectives) > 2 or any(o not in Objective.values for o in objectives):
            raise DossierError(_("Choisissez deux objectifs principaux, pas davantage."))
        if values.get("status") not in STATUSES_WITH_IDCC:
            values["idcc"] = ""
    if section == FeasibilitySection.NATURE and values.get("nature") != RequestNature.RENEWAL:
        values["earlier_decision_date"] = None
    limits.check(values.get("titles_held"), limits.SHORT_TEXT, _("Les intitulés"), DossierError)
    limits.check(values.get("comments"), limits.COMMENT, _("Les commentaires"), DossierError)


@transaction.atomic
def save_feasibility(dossier: Dossier, section: str, values: dict, identity: dict | None = None, actor=None):
    """Save one section of the dossier de faisabilité (its fields: ``SECTION_FIELDS``; the
    candidate's section also takes the civil identity: ``identity``). The form has refused a
    missing mandatory field already; the submission checks them all again
    (``feasibility_missing``). Recorded in the audit trail (free texts as length and hash)."""
    dossier = _locked_for_writing(dossier, stage1=True)
    fields = SECTION_FIELDS.get(section)
    if fields is None:
        raise ValueError(f"Not a feasibility section with fields: {section}")
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"Not a field of {section}: {sorted(unknown)}")
    values = dict(values)
    _check_section(dossier, section, values)
    request = feasibility.feasibility_of(dossier)
    before = audit.values(request, list(values), texts=FEASIBILITY_TEXTS)
    for name, value in values.items():
        setattr(request, name, value)
    request.full_clean(exclude=["dossier"])
    request.save()
    changes = audit.diff(before, audit.values(request, list(values), texts=FEASIBILITY_TEXTS))
    if identity is not None:
        unknown = set(identity) - set(IDENTITY_FIELDS)
        if unknown:
            raise ValueError(f"Not an identity field: {sorted(unknown)}")
        current = CivilIdentity.objects.filter(dossier=dossier).first() or CivilIdentity(dossier=dossier)
        before_id = audit.values(current, list(identity)) if current.pk else {}
        for name, value in identity.items():
            setattr(current, name, value)
        current.full_clean(exclude=["dossier"])
        current.save()
        changes.update(audit.diff(before_id, audit.values(current, list(identity))))
    if changes:
        audit.record(
            "feasibility.saved",
            actor=_actor(dossier, actor),
            target=request,
            target_repr=str(FeasibilitySection(section).label),
            dossier=dossier,
            changes=changes,
            coalesce=dt.timedelta(minutes=settings.AUDIT_COALESCE_MINUTES),
        )
    return request


@transaction.atomic
def save_block_statement(dossier: Dossier, block: Block, activity: str, comment: str, actor=None) -> BlockStatement:
    """Per bloc, « Activité » OUI / NON / PARTIELLEMENT and a detailed comment, mandatory for OUI
    and PARTIELLEMENT (the model's rule)."""
    dossier = _locked_for_writing(dossier, stage1=True)
    if not dossier.targeted_blocks().filter(pk=block.pk).exists():
        raise DossierError(_("Ce bloc n'est pas visé par ce dossier."))
    if activity not in BlockActivity.values:
        raise DossierError(
            _("Bloc « %(b)s » : indiquez l'activité (OUI, NON ou PARTIELLEMENT).") % {"b": shorten(block.title, 70)}
        )
    comment = (comment or "").strip()
    limits.check(comment, limits.LONG_TEXT, _("Le commentaire"), DossierError)
    if activity in (BlockActivity.YES, BlockActivity.PARTLY) and not comment:
        raise DossierError(
            _("Bloc « %(b)s » : le commentaire détaillé est obligatoire pour « %(a)s ».")
            % {"b": shorten(block.title, 70), "a": BlockActivity(activity).label}
        )
    statement, _created = BlockStatement.objects.get_or_create(dossier=dossier, block=block)
    before = audit.values(statement, ["activity", "comment"], texts=["comment"])
    statement.activity, statement.comment = activity, comment
    statement.save()
    changes = audit.diff(before, audit.values(statement, ["activity", "comment"], texts=["comment"]))
    if changes:
        audit.record(
            "feasibility.block_saved",
            actor=_actor(dossier, actor),
            target=statement,
            target_repr=f"{block.code} {block.title}".strip()[:255],
            dossier=dossier,
            changes=changes,
        )
    return statement


def add_feasibility_document(
    dossier: Dossier, uploaded, *, role: str, title: str, prerequisite: str = "", actor=None
) -> Proof:
    """A document of the recevabilité request (a prerequisite's proof, an exemption's, another),
    checked, scanned and served as every proof is (``add_proof``)."""
    if role not in FeasibilityDocumentRole.values:
        raise DossierError(_("Indiquez ce que prouve la pièce."))
    if role == FeasibilityDocumentRole.PREREQUISITE:
        if prerequisite not in dossier.certification.regulatory_prerequisites:
            raise DossierError(_("Choisissez le prérequis que cette pièce justifie."))
    else:
        prerequisite = ""
    return add_proof(
        dossier,
        uploaded,
        actor=actor,
        title=title,
        kind=ProofKind.ATTESTATION if role != FeasibilityDocumentRole.OTHER else ProofKind.OTHER,
        feasibility_role=role,
        prerequisite=prerequisite,
    )


# --- the certifier's two months (L6412-2) --------------------------------------------------


@transaction.atomic
def record_implicit_admissibility(dossier: Dossier, now: dt.datetime | None = None) -> bool:
    """Two months after reception without a decision, the request is recevable (Code du travail
    L6412-2): the transition, with its reason in the timeline and the audit trail, and an
    e-mail to the candidate. False when a decision came first or the deadline is not reached."""
    now = now or timezone.now()
    dossier = _locked(dossier)
    request = feasibility.feasibility_of(dossier)
    due = feasibility.deadline(request.received_at)
    if dossier.status != S.FEASIBILITY_SUBMITTED or due is None or due > now:
        return False
    reason = _(
        "Recevable (décision implicite) : le certificateur ne s'est pas prononcé dans les deux mois "
        "suivant la réception de la demande, le %(received)s (article L6412-2 du Code du travail)."
    ) % {"received": formats.date_format(timezone.localtime(request.received_at), "j F Y")}
    _transition(dossier, S.ADMISSIBLE, None, reason, notify=False)
    audit.record(
        "dossier.implicit_admissibility",
        actor=None,
        dossier=dossier,
        changes={"status": [S.FEASIBILITY_SUBMITTED, S.ADMISSIBLE]},
    )
    transaction.on_commit(lambda: notifications.implicit_admissibility(dossier.pk))
    return True


def check_feasibility_deadlines(now: dt.datetime | None = None) -> tuple[int, int]:
    """The beat's pass: remind the certifier's staff ``FEASIBILITY_REMINDER_DAYS`` before a
    request's deadline (once), and record the implicit decision of those past it. Returns
    (reminders sent, implicit decisions)."""
    now = now or timezone.now()
    reminded = decided = 0
    pending = Feasibility.objects.filter(dossier__status=S.FEASIBILITY_SUBMITTED, received_at__isnull=False)
    for request in pending.select_related("dossier"):
        due = feasibility.deadline(request.received_at)
        if due is None:
            continue
        if due <= now:
            decided += record_implicit_admissibility(request.dossier, now)
        elif request.reminder_sent_at is None and due - dt.timedelta(days=settings.FEASIBILITY_REMINDER_DAYS) <= now:
            with transaction.atomic():
                updated = Feasibility.objects.filter(pk=request.pk, reminder_sent_at__isnull=True).update(
                    reminder_sent_at=now
                )
                if updated:
                    transaction.on_commit(partial(notifications.deadline_reminder, request.dossier_id))
                    reminded += 1
    return reminded, decided
