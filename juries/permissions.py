"""Who may see and do what on the jury members' pages ("Mes sessions").

Rules:
- a member sees the sessions they sit on and, in each, the convoked candidates with their slots;
  anyone else (another session's member, a candidate, a certifier) gets a 404 on these pages —
  certifiers follow sessions from the back office;
- before opening a candidate's dossier, a member declares their link with the candidate; after
  "aucun lien" they read the submitted dossier and its proofs; after a conflict, nothing of that
  candidate (404): no dossier, no scoring, no deliberation;
- a member scores while the session is open and no decision is in force, if present, without
  conflict and not a personne ressource (who advises, never scores);
- independence: a member sees nothing of another member's scoring of a candidate until they
  have validated every grille of their own for that candidate; a personne ressource, once every
  scoring member has;
- the président records the attendance, reopens a validated scoring, deliberates and decides;
  every present member signs the procès-verbal;
- access ends: ``settings.JURY_ACCESS_DAYS_AFTER_MINUTES`` days after the procès-verbal became
  final (``members_access_ends_at``), a member still finds the session in their list and its
  page (date, certification, jury, that it is closed and since when their access ended), but
  nothing of its candidates: no candidate list, dossier, proof, narrative, scoring, dossier
  PDF, nor the procès-verbal (404). The certifier keeps them (docs/security.md).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core import file_access
from juries.enums import ConvocationStatus, EvaluationStatus, LinkKind, MinutesStatus
from juries.models import ConflictDeclaration, Convocation, Evaluation, JuryDocument, JuryMember, JurySession
from juries.queries import kept


def _access_period() -> dt.timedelta:
    return dt.timedelta(days=settings.JURY_ACCESS_DAYS_AFTER_MINUTES)


def members_access_ends_at(session: JurySession) -> dt.datetime | None:
    """When the members' access to the session's candidates ends: ``JURY_ACCESS_DAYS_AFTER_MINUTES``
    days after its procès-verbal became final. None while it is not final: the jury still has
    work to do (a session held, whose procès-verbal is still unsigned, stays open to them)."""
    minutes = getattr(session, "minutes", None)
    if minutes is None or not minutes.is_final:
        return None
    # A final procès-verbal always has its date; without one, the earliest date known.
    return (minutes.finalised_at or minutes.created_at) + _access_period()


def members_access_open(session: JurySession) -> bool:
    """Do the session's members still read its candidates (dossiers, proofs, narratives,
    scorings, the dossier PDF, the procès-verbal)? See ``members_access_ends_at``."""
    ends_at = members_access_ends_at(session)
    return ends_at is None or timezone.now() < ends_at


def sessions_closed_to_members() -> QuerySet[JurySession]:
    """The sessions ``members_access_open`` refuses, as a queryset (same rule, for filters)."""
    cutoff = timezone.now() - _access_period()
    return JurySession.objects.filter(minutes__status=MinutesStatus.FINAL).filter(
        Q(minutes__finalised_at__lte=cutoff) | Q(minutes__finalised_at__isnull=True, minutes__created_at__lte=cutoff)
    )


def seats_of(user) -> QuerySet[JuryMember]:
    """The seats ``user`` holds, one per session (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return JuryMember.objects.none()
    return JuryMember.objects.filter(user=user)


def sessions_of(user) -> QuerySet[JurySession]:
    return JurySession.objects.filter(members__in=seats_of(user))


def seat_or_404(user, session_pk: int) -> JuryMember:
    """The user's seat in the session, with the session, its certification and its
    procès-verbal (the session's page shows it to its members for ever)."""
    return get_object_or_404(
        seats_of(user).select_related("session__certification", "session__minutes", "user"), session_id=session_pk
    )


def reading_seat_or_404(user, session_pk: int) -> JuryMember:
    """The user's seat in a session whose candidates they still read (``members_access_open``)."""
    member = seat_or_404(user, session_pk)
    if not members_access_open(member.session):
        raise Http404
    return member


def convocation_or_404(user, pk: int) -> tuple[JuryMember, Convocation]:
    """A live convocation of a session the user sits on and still reads
    (``members_access_open``), and their seat in that session."""
    convocation = get_object_or_404(
        Convocation.objects.live()
        .filter(session__members__in=seats_of(user))
        .exclude(session__in=sessions_closed_to_members())
        .select_related("session__certification", "dossier__candidate", "dossier__certification"),
        pk=pk,
    )
    member = seats_of(user).select_related("user").get(session_id=convocation.session_id)
    convocation._jury_reads = {}  # this request's reads of it are kept (``queries.kept``)
    return member, convocation


def declaration_of(member: JuryMember, convocation: Convocation) -> ConflictDeclaration | None:
    declarations = kept(
        convocation,
        "declarations",
        lambda: {d.member_id: d for d in ConflictDeclaration.objects.filter(convocation=convocation).order_by("pk")},
    )
    return declarations.get(member.pk)


def reads_dossier(declaration: ConflictDeclaration | None) -> bool:
    """A member reads a candidate's dossier once they have declared no link with them."""
    return declaration is not None and declaration.link == LinkKind.NONE


def jury_reads_dossier(user, dossier) -> bool:
    """``user`` sits on a session where ``dossier`` is convoked, declared no link with its
    candidate, and still reads the session (``members_access_open``) — the predicate behind the
    jury's reads of files (``juries.files``) and of the dossier de validation's PDF."""
    if not user.is_authenticated:
        return False
    return (
        ConflictDeclaration.objects.filter(
            member__user=user,
            link=LinkKind.NONE,
            convocation__dossier=dossier,
            member__session=F("convocation__session"),
        )
        .exclude(convocation__status=ConvocationStatus.CANCELLED)
        .exclude(convocation__session__in=sessions_closed_to_members())
        .exists()
    )


def members_with_declarations(session: JurySession) -> QuerySet[JuryMember]:
    """The session's members with their users and their declarations (``declaration_list``)."""
    return session.members.select_related("user").prefetch_related(
        Prefetch("declarations", queryset=ConflictDeclaration.objects.order_by("pk"), to_attr="declaration_list")
    )


def scoring_members(convocation: Convocation, members) -> list[JuryMember]:
    """Members who score this candidate: present, not a personne ressource, no conflict
    declared (``members``: the session's members with their declarations prefetched as
    ``declaration_list``)."""
    return [
        m
        for m in members
        if m.present
        and m.scores
        and not any(d.convocation_id == convocation.pk and d.is_conflict for d in m.declaration_list)
    ]


def _validated_rubrics(convocation: Convocation) -> dict[int, set[int]]:
    """The grilles of this candidate each member validated, by member (one query for all)."""
    validated: dict[int, set[int]] = {}
    rows = Evaluation.objects.filter(convocation=convocation, status=EvaluationStatus.VALIDATED)
    for member_id, rubric_id in rows.values_list("member_id", "rubric_id"):
        validated.setdefault(member_id, set()).add(rubric_id)
    return validated


def scorers_of(convocation: Convocation) -> list[JuryMember]:
    """``scoring_members`` of this candidate among their session's members (read once)."""
    return kept(
        convocation,
        "scorers",
        lambda: scoring_members(convocation, members_with_declarations(convocation.session)),
    )


def validated_scorings(convocation: Convocation) -> list[Evaluation]:
    """The validated scorings that count for this candidate: the scoring members' (``scorers_of``),
    every grille, with their scores and members (read once per request). What the deliberation
    computes on; a page shows them to a member only once ``sees_others_scorings`` lets them."""
    return kept(
        convocation,
        "validated_scorings",
        lambda: list(
            Evaluation.objects.filter(
                convocation=convocation,
                status=EvaluationStatus.VALIDATED,
                member__in=[m.pk for m in scorers_of(convocation)],
            )
            .select_related("member__user")
            .prefetch_related("scores")
            .order_by("member__role", "member_id")
        ),
    )


def has_validated_all(member: JuryMember, convocation: Convocation, rubric_ids: set[int]) -> bool:
    """Every grille of this candidate is validated by ``member``."""
    if not rubric_ids:
        return True
    validated = kept(convocation, "validated", lambda: _validated_rubrics(convocation))
    return validated.get(member.pk, set()) >= rubric_ids


def sees_others_scorings(member: JuryMember, convocation: Convocation, rubric_ids: set[int]) -> bool:
    """The independence rule: another member's scoring of this candidate shows only to a
    member who reads the dossier and has validated all their own (a personne ressource: once
    every scoring member has). Every page, fragment and export of scorings asks this first."""
    if not reads_dossier(declaration_of(member, convocation)):
        return False
    if member.scores:
        return has_validated_all(member, convocation, rubric_ids)
    return all(has_validated_all(m, convocation, rubric_ids) for m in scorers_of(convocation))


def require_president(member: JuryMember) -> None:
    """403 for a member who is not the session's président (the action is theirs alone)."""
    if not member.is_president:
        raise PermissionDenied


def document_or_404(user, pk: int) -> JuryDocument:
    """A jury document ``user`` may read (the reader rule of its kind: ``juries.documents``)."""
    document = get_object_or_404(
        JuryDocument.objects.select_related(
            "session__certification", "session__minutes", "convocation__session__minutes", "convocation__dossier"
        ),
        pk=pk,
    )
    file_access.grant_or_404(user, "jury_document", document, as_="jury")  # documents.files
    return document
