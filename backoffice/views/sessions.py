"""Jury sessions: programme, compose (with the certification's rule checked), convoke ready
dossiers on time slots, reschedule or cancel with a notice, record attendance. Every write is
one call to ``juries.services``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice import forms
from backoffice.permissions import (
    certifications_for,
    certifier_required,
    convocations_for,
    decisions_for,
    dossiers_for,
    members_for,
    sessions_for,
)
from backoffice.views.common import button_action, form_action
from core import limits
from core.paging import upcoming_and_past
from core.subqueries import count_of
from dossiers.enums import DossierStatus
from juries import queries, services
from juries.enums import ConvocationStatus, EvaluationStatus, SessionStatus
from juries.forms import RevocationForm
from juries.models import (
    BlockDecision,
    ConflictDeclaration,
    Convocation,
    Decision,
    JuryDocument,
    JuryMember,
    JurySession,
    Minutes,
    Signature,
)
from juries.services.locking import has_started
from juries.services.minutes import composition_problem, override_composition

SLOT_MINUTES = 60
SESSIONS_PER_PAGE = 25


def _session(request, pk: int) -> JurySession:
    return get_object_or_404(sessions_for(request.user).select_related("certification"), pk=pk)


def session_url(pk: int, anchor: str = "") -> str:
    url = reverse("backoffice:session", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _with_counts(sessions):
    convoked = Convocation.objects.filter(session=OuterRef("pk")).exclude(status=ConvocationStatus.CANCELLED)
    return sessions.select_related("certification").annotate(
        n_members=count_of(JuryMember.objects.filter(session=OuterRef("pk")), "session"),
        n_convoked=count_of(convoked, "session"),
    )


def ready_dossiers(user, session: JurySession):
    """Dossiers en attente de jury on the session's certification (any version), oldest first."""
    return (
        dossiers_for(user)
        .filter(status=DossierStatus.READY_FOR_JURY, certification__lineage=session.certification.lineage)
        .select_related("candidate", "certification")
        .order_by("validation_submitted_at", "pk")
    )


def _next_slot(session: JurySession, convocations) -> tuple[dt.time, dt.time]:
    """The slot after the last live one (or at the session's start), as a suggestion."""
    ends = [c.ends_at for c in convocations if c.is_live]
    start = timezone.localtime(max([session.starts_at, *ends]))
    end = start + dt.timedelta(minutes=SLOT_MINUTES)
    return start.time().replace(second=0, microsecond=0), end.time().replace(second=0, microsecond=0)


@certifier_required
def session_list(request):
    """The sessions to come, soonest first, then the past or cancelled ones, latest first: two
    lists, each paginated on its own (``a_venir``, ``passees``)."""
    sessions = sessions_for(request.user)
    upcoming = Q(status=SessionStatus.PLANNED, starts_at__gte=timezone.now())
    context = upcoming_and_past(request, sessions, _with_counts(sessions), upcoming, "starts_at", SESSIONS_PER_PAGE)
    return render(request, "backoffice/sessions/list.html", context)


@certifier_required
def session_create(request):
    form = forms.SessionForm(request.POST or None, certifications=certifications_for(request.user))
    return form_action(
        request,
        form,
        lambda d: services.create_session(d["certification"], request.user, **form.service_values()),
        template="backoffice/sessions/form.html",
        context={"heading": _("Programmer une session de jury")},
        success_url=lambda session: session_url(session.pk),
        success_message=_("Session programmée : composez le jury puis convoquez les candidats."),
    )


@certifier_required
def session_detail(request, pk: int):
    session = _session(request, pk)
    members = list(session.members.select_related("user").order_by("role", "pk"))
    convocations = list(
        session.convocations.select_related("dossier__candidate", "dossier__certification")
        .annotate(
            n_validated=Count("evaluations", filter=Q(evaluations__status=EvaluationStatus.VALIDATED), distinct=True)
        )
        .prefetch_related(
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.select_related("member__user").order_by("member_id"),
                to_attr="declaration_list",
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("revoked_by", "decided_by")
                .prefetch_related(
                    Prefetch("items", queryset=BlockDecision.objects.select_related("block", "assessment_method"))
                )
                .order_by("decided_at", "pk"),
                to_attr="decision_list",
            ),
        )
        .order_by("starts_at")
    )
    for c in convocations:
        c.conflicts = [d for d in c.declaration_list if d.is_conflict]
        c.decision = next((d for d in c.decision_list if d.in_force), None)
        c.revoked = [d for d in c.decision_list if not d.in_force]
    start, end = _next_slot(session, convocations)
    minutes = (
        Minutes.objects.filter(session=session)
        .prefetch_related(Prefetch("signatures", queryset=Signature.objects.select_related("member__user")))
        .first()
    )
    context = {
        "session": session,
        "members": members,
        "composition": queries.composition(session, members),
        "composition_problem": composition_problem(session, members) if session.status == SessionStatus.PLANNED else "",
        "agreement": queries.agreement_report(session, members),
        "convocations": convocations,
        "live_count": sum(1 for c in convocations if c.is_live),
        "member_form": forms.MemberForm(),
        "convoke_form": forms.ConvokeForm(
            dossiers=ready_dossiers(request.user, session), initial={"start": start, "end": end}
        ),
        "attendance_form": forms.AttendanceForm(),
        "can_record_attendance": has_started(session),
        "minutes": minutes,
        "signatures": [s for s in minutes.signatures.all() if s.content_sha256 == minutes.content_sha256]
        if minutes is not None and minutes.is_final
        else [],
        "documents": list(
            JuryDocument.objects.of_session(session)
            .select_related("convocation__dossier__candidate")
            .order_by("kind", "pk")
        ),
    }
    return render(request, "backoffice/sessions/detail.html", context)


@certifier_required
def session_edit(request, pk: int):
    session = _session(request, pk)
    form = forms.SessionForm(request.POST or None, session=session)
    return form_action(
        request,
        form,
        lambda d: services.update_session(session, request.user, **form.service_values()),
        template="backoffice/sessions/form.html",
        context={"heading": _("Modifier la session"), "session": session},
        success_url=session_url(session.pk),
        success_message=_("Session enregistrée."),
    )


@certifier_required
def session_cancel(request, pk: int):
    session = _session(request, pk)
    form = forms.NoticeForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda d: services.cancel_session(session, request.user, d["notice"]),
        template="backoffice/sessions/confirm.html",
        context={
            "heading": _("Annuler la session"),
            "session": session,
            "explanation": _(
                "Toutes les convocations de la session sont annulées ; chaque dossier revient en attente de jury "
                "et chaque candidat est prévenu."
            ),
        },
        success_url=session_url(session.pk),
        success_message=_("Session annulée."),
    )


# --- members ------------------------------------------------------------------------------


def _member_added(member) -> str:
    if member.awaiting_invitation:
        message = _("Invitation envoyée à %(email)s : son compte s'activera quand elle choisira un mot de passe.")
        return message % {"email": member.user.email}
    return _("%(user)s fait désormais partie du jury.") % {"user": member.user}


@certifier_required
def member_add(request, pk: int):
    session = _session(request, pk)
    form = forms.MemberForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda d: services.add_member(session, request.user, **d),
        template="backoffice/sessions/member_form.html",
        context={"session": session},
        success_url=session_url(session.pk, "members"),
        success_message=_member_added,
    )


@require_POST
@certifier_required
def member_remove(request, pk: int):
    member = get_object_or_404(members_for(request.user).select_related("user"), pk=pk)
    return button_action(
        request,
        lambda: services.remove_member(member, request.user),
        _("%(user)s ne siège plus dans cette session.") % {"user": member.user},
        session_url(member.session_id, "members"),
    )


@require_POST
@certifier_required
def member_resend(request, pk: int):
    member = get_object_or_404(members_for(request.user).select_related("user"), pk=pk)
    return button_action(
        request,
        lambda: services.resend_invitation(member, request.user),
        _("Invitation renvoyée à %(email)s.") % {"email": member.user.email},
        session_url(member.session_id, "members"),
    )


# --- convocations -------------------------------------------------------------------------


@certifier_required
def convoke(request, pk: int):
    session = _session(request, pk)
    form = forms.ConvokeForm(request.POST or None, dossiers=ready_dossiers(request.user, session))
    day = timezone.localdate(session.starts_at)

    def action(d):
        start, end = form.slot(day)
        return services.convoke(session, d["dossier"], request.user, starts_at=start, ends_at=end)

    return form_action(
        request,
        form,
        action,
        template="backoffice/sessions/convoke.html",
        context={"session": session},
        success_url=session_url(session.pk, "convocations"),
        success_message=lambda c: (
            _("Convocation envoyée à %(name)s.")
            % {"name": c.dossier.candidate.get_full_name() or c.dossier.candidate.email}
        ),
    )


def _convocation(request, pk: int):
    return get_object_or_404(
        convocations_for(request.user).select_related("session__certification", "dossier__candidate"), pk=pk
    )


@certifier_required
def convocation_reschedule(request, pk: int):
    conv = _convocation(request, pk)
    sessions = (
        sessions_for(request.user)
        .filter(
            status=SessionStatus.PLANNED,
            starts_at__gte=timezone.now(),
            certification__lineage=conv.session.certification.lineage,
        )
        .select_related("certification")
        .order_by("starts_at")
    )
    initial = {
        "session": conv.session_id,
        "start": timezone.localtime(conv.starts_at).time(),
        "end": timezone.localtime(conv.ends_at).time(),
    }
    form = forms.RescheduleForm(request.POST or None, sessions=sessions, initial=initial)

    def action(d):
        start, end = form.slot(timezone.localdate(d["session"].starts_at))
        return services.reschedule(
            conv, request.user, starts_at=start, ends_at=end, notice=d["notice"], session=d["session"]
        )

    return form_action(
        request,
        form,
        action,
        template="backoffice/sessions/convocation_form.html",
        context={"convocation": conv, "session": conv.session, "heading": _("Reporter la convocation")},
        success_url=lambda c: session_url(c.session_id, "convocations"),
        success_message=_("Convocation reportée ; la nouvelle convocation a été envoyée."),
    )


@certifier_required
def convocation_cancel(request, pk: int):
    conv = _convocation(request, pk)
    form = forms.NoticeForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda d: services.cancel_convocation(conv, request.user, d["notice"]),
        template="backoffice/sessions/convocation_form.html",
        context={"convocation": conv, "session": conv.session, "heading": _("Annuler la convocation")},
        success_url=session_url(conv.session_id, "convocations"),
        success_message=_("Convocation annulée ; le dossier est de nouveau en attente de jury."),
    )


@require_POST
@certifier_required
def convocation_attendance(request, pk: int):
    conv = _convocation(request, pk)
    form = forms.AttendanceForm(request.POST)
    attendance = form.cleaned_data["attendance"] if form.is_valid() else ""
    return button_action(
        request,
        lambda: services.record_attendance(conv, request.user, attendance),
        _("Présence enregistrée."),
        session_url(conv.session_id, f"convocation-{conv.pk}"),
    )


# --- decisions ----------------------------------------------------------------------------


@certifier_required
def decision_revoke(request, pk: int):
    """Revoke a jury decision with a reason; the decision stays in the history."""
    decision = get_object_or_404(
        decisions_for(request.user).select_related("dossier__candidate", "convocation__session"), pk=pk
    )
    form = RevocationForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda d: services.revoke_decision(decision, request.user, d["reason"]),
        template="backoffice/sessions/revoke.html",
        context={"decision": decision, "session": decision.convocation.session},
        success_url=session_url(decision.convocation.session_id, f"convocation-{decision.convocation_id}"),
        success_message=_("Décision révoquée : elle reste dans l'historique ; le candidat en est averti."),
    )


@require_POST
@certifier_required
def composition_override(request, pk: int):
    """An administrator lets the procès-verbal be signed although the jury's composition breaks
    the certification's rule, with a written reason (``juries.services.minutes``)."""
    session = _session(request, pk)
    reason = request.POST.get("reason", "")[: limits.LONG_TEXT]
    return button_action(
        request,
        lambda: override_composition(session, request.user, reason),
        _("Dérogation enregistrée : le procès-verbal peut être signé ; le motif y figure."),
        session_url(session.pk, "minutes"),
    )
