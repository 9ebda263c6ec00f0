""" "Mes sessions": the sessions a member sits on; a session with its members, the convoked
candidates and their slots, the links declared; the président's attendance and presence."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.actions import button_action
from core.paging import upcoming_and_past
from core.subqueries import count_of
from juries import permissions
from juries.enums import Attendance, ConvocationStatus, SessionStatus
from juries.models import ConflictDeclaration, Convocation, Decision, JuryMember, Minutes
from juries.queries import agreement_report
from juries.services.convocations import record_attendance
from juries.services.locking import has_started, not_started_reason
from juries.services.members import set_presence
from juries.views.common import candidate

SESSIONS_PER_PAGE = 25


@require_safe
def session_list(request):
    """The sessions to come (today's included), soonest first, then the past ones, latest first:
    two lists, each paginated in the database on its own (``a_venir``, ``passees``)."""
    seats = permissions.seats_of(request.user)
    start_of_today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    upcoming = Q(session__status=SessionStatus.PLANNED, session__starts_at__gte=start_of_today)
    convoked = Convocation.objects.filter(session=OuterRef("session")).exclude(status=ConvocationStatus.CANCELLED)
    # Not the procès-verbaux's frozen content: decoding it for each row cost more than the page.
    listed = (
        seats.select_related("session__certification", "session__minutes")
        .defer("session__minutes__content")
        .annotate(n_convoked=count_of(convoked, "session"))
    )
    pages = upcoming_and_past(request, seats, listed, upcoming, "session__starts_at", SESSIONS_PER_PAGE)
    for seat in [*pages["upcoming"], *pages["others"]]:
        seat.access_ends_at = permissions.members_access_ends_at(seat.session)
        seat.access_open = permissions.members_access_open(seat.session)
    return render(request, "juries/session_list.html", pages)


def session_url(pk: int, anchor: str = "") -> str:
    url = reverse("jury:session", args=[pk])
    return f"{url}#{anchor}" if anchor else url


@require_safe
def session_detail(request, pk: int):
    """The session with its jury and candidates; once the members' access has ended
    (``permissions.members_access_open``), the session alone."""
    member = permissions.seat_or_404(request.user, pk)
    session = member.session
    access = {
        "access_open": permissions.members_access_open(session),
        "access_ends_at": permissions.members_access_ends_at(session),
    }
    if not access["access_open"]:
        members = list(session.members.select_related("user").order_by("role", "pk"))
        context = {"member": member, "session": session, "members": members, **access}
        return render(request, "juries/session_detail.html", context)
    members = list(permissions.members_with_declarations(session).order_by("role", "pk"))
    convocations = list(
        session.convocations.live()
        .select_related("dossier__candidate", "dossier__certification")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.in_force(), to_attr="decisions_in_force"),
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.select_related("member__user").order_by("member__pk"),
                to_attr="declaration_list",
            ),
        )
        .order_by("starts_at")
    )
    for conv in convocations:
        conv.mine = next((d for d in conv.declaration_list if d.member_id == member.pk), None)
        conv.conflicts = [d for d in conv.declaration_list if d.is_conflict]
        conv.decision = next(iter(conv.decisions_in_force), None)
    minutes = Minutes.objects.filter(session=session).first()
    context = {
        **access,
        "member": member,
        "session": session,
        "members": members,
        "convocations": convocations,
        "minutes": minutes,
        "attendance_choices": Attendance.choices,
        "not_started": not_started_reason(session),
        "can_record_attendance": member.is_president
        and session.status == SessionStatus.PLANNED
        and has_started(session),
        # Agreement figures are the président's (the others see them in the procès-verbal).
        "agreement": agreement_report(session) if member.is_president else None,
    }
    return render(request, "juries/session_detail.html", context)


@require_POST
def attendance(request, pk: int):
    """The président records whether a candidate came."""
    member, convocation, _declaration = candidate(request, pk)
    permissions.require_president(member)
    value = request.POST.get("attendance", "")
    label = dict(Attendance.choices).get(value, "")
    return button_action(
        request,
        lambda: record_attendance(convocation, member, value),
        _("Présence enregistrée : %(name)s, %(label)s.")
        % {
            "name": convocation.dossier.candidate.get_full_name() or convocation.dossier.candidate.email,
            "label": label,
        },
        session_url(convocation.session_id, f"convocation-{convocation.pk}"),
    )


@require_POST
def member_presence(request, pk: int):
    """The président notes a member present or absent."""
    target = get_object_or_404(
        JuryMember.objects.select_related("user").filter(session__members__in=permissions.seats_of(request.user)),
        pk=pk,
    )
    president = permissions.seat_or_404(request.user, target.session_id)
    permissions.require_president(president)
    present = request.POST.get("present") == "1"
    name = target.user.get_full_name() or target.user.email
    return button_action(
        request,
        lambda: set_presence(target, president, present),
        (_("Présence de %(name)s notée.") if present else _("Absence de %(name)s notée.")) % {"name": name},
        reverse("jury:minutes", args=[target.session_id]),
    )
