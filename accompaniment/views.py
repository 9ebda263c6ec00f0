"""The accompaniment pages: the accompagnateur's space (home, requests, the dossiers they
accompany, comments, opinion, meetings, export), the organisation's team (its manager, an admin)
and the candidate's choice of an organisation. Thin views: scope → object or 404 → form → one
service call → message → redirect (``core.actions``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accompaniment import permissions, services
from accompaniment.enums import AccompanimentState
from accompaniment.feasibility import COMMITMENT
from accompaniment.forms import CommentForm, MeetingForm, OpinionForm, OrganisationFilterForm, ReasonForm, StaffForm
from accompaniment.models import Accompaniment, Comment, Meeting, Opinion, Organisation, StaffMember
from accounts.invitations import AcceptInvitationView
from core import file_access
from core.actions import attempt, button_action, form_action
from core.csv_export import csv_response
from core.files import serve_file
from core.http import next_path
from core.paging import page_of
from core.search import search_people
from core.subqueries import count_of
from dossiers import permissions as dossier_permissions
from dossiers.enums import DossierStatus
from dossiers.files import released_proof
from dossiers.models import CompetencyStatement, Experience, Proof
from dossiers.snapshots import build_content

A = AccompanimentState
S = DossierStatus
ACCOMPANIED_PER_PAGE = 25


class InvitationView(AcceptInvitationView):
    template_name = "accompaniment/invitation.html"
    success_url = reverse_lazy("accompaniment:home")


# --- the accompagnateur's home -------------------------------------------------------------


def _staff_or_404(user) -> list[StaffMember]:
    members = list(permissions.memberships(user))
    if not members:
        raise Http404
    return members


def waiting_items(accompaniment: Accompaniment) -> list[str]:
    """What is waiting on an accompanied dossier, in words (the home page)."""
    dossier = accompaniment.dossier
    items = []
    if dossier.status in services.FEASIBILITY_OPEN:
        has_opinion = getattr(accompaniment, "has_opinion", None)
        if not has_opinion:
            items.append(_("Avis sur la demande de recevabilité à donner"))
        else:
            items.append(_("Demande de recevabilité à envoyer par le candidat"))
    if dossier.status in (S.FEASIBILITY_INCOMPLETE, S.VALIDATION_INCOMPLETE):
        items.append(_("Dossier renvoyé « à compléter »"))
    if dossier.status in (S.ADMISSIBLE, S.VALIDATION_INCOMPLETE) and accompaniment.narratives_missing:
        n = accompaniment.narratives_missing
        items.append(ngettext("%(n)s récit non commencé", "%(n)s récits non commencés", n) % {"n": n})
    if accompaniment.open_comments:
        n = accompaniment.open_comments
        items.append(ngettext("%(n)s commentaire non traité", "%(n)s commentaires non traités", n) % {"n": n})
    return items


@require_safe
def home(request):
    """The candidates the user's organisations accompany (with their stage and what is waiting),
    found by name or e-mail address (``?q=``, accents and case aside), the requests to answer,
    and the teams they manage."""
    members = _staff_or_404(request.user)
    org_ids = [m.organisation_id for m in members]
    query = request.GET.get("q", "").strip()[:200]
    readable = search_people(permissions.readable_accompaniments(request.user), query, person="dossier__candidate")
    # The current ones first, each the latest accepted first (``accompaniment_listed_idx``): an
    # order by the candidates' names joined every accompanied dossier to its candidate to sort
    # them, 35 ms of SQL for an organisation with 7,000 candidates; the search finds a name.
    # Counted by subqueries on the page's rows only (a join of comments and statements
    # multiplied them before grouping: 3 s for an organisation with 7,000 candidates).
    listed = (
        readable.select_related("dossier__candidate", "dossier__certification", "organisation")
        .annotate(
            open_comments=count_of(
                Comment.objects.filter(accompaniment=OuterRef("pk"), done_at__isnull=True), "accompaniment"
            ),
            narratives_missing=count_of(
                CompetencyStatement.objects.filter(dossier=OuterRef("dossier"), narrative=""), "dossier"
            ),
            has_opinion=Exists(Opinion.objects.filter(accompaniment=OuterRef("pk"))),
        )
        .order_by("state", "-decided_at", "-pk")
    )
    accompaniments = page_of(listed, request.GET.get("page"), ACCOMPANIED_PER_PAGE, readable.count())
    for a in accompaniments:
        a.waiting = waiting_items(a) if a.state == A.ACCEPTED else []
    requests = Accompaniment.objects.filter(organisation_id__in=org_ids, state=A.REQUESTED).select_related(
        "dossier__candidate", "dossier__certification", "organisation"
    )
    return render(
        request,
        "accompaniment/home.html",
        {
            "members": members,
            "accompaniments": accompaniments,
            "query": query,
            "requests": requests,
            "managed": [m.organisation for m in members if m.is_manager],
        },
    )


@require_POST
def accept(request, pk: int):
    accompaniment = permissions.request_for_staff_or_404(request.user, pk)
    return button_action(
        request,
        lambda: services.accept(accompaniment, request.user),
        _("Accompagnement accepté : le dossier vous est ouvert."),
        reverse("accompaniment:home"),
    )


@require_http_methods(["GET", "POST"])
def decline(request, pk: int):
    accompaniment = permissions.request_for_staff_or_404(request.user, pk)
    if accompaniment.state != A.REQUESTED:
        messages.error(request, _("Cette demande n'est plus en attente."))
        return redirect("accompaniment:home")
    form = ReasonForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda data: services.decline(accompaniment, request.user, data["reason"]),
        template="accompaniment/reason.html",
        context={"accompaniment": accompaniment, "title": _("Refuser la demande d'accompagnement")},
        success_url=reverse("accompaniment:home"),
        success_message=_("Demande refusée : le candidat en est informé sur son dossier."),
    )


@require_safe
def export(request):
    """The meetings of every dossier the user's organisations accompany (or did, in the
    read-only period), as CSV for their funders."""
    _staff_or_404(request.user)
    meetings = (
        Meeting.objects.filter(accompaniment__in=permissions.readable_accompaniments(request.user))
        .select_related("accompaniment__dossier__candidate", "accompaniment__dossier__certification")
        .select_related("accompaniment__organisation")
        .order_by("starts_at", "pk")
    )
    response, writer = csv_response("accompagnement-heures.csv")
    writer.writerow(
        [
            _("Organisme"),
            _("Candidat"),
            _("Certification"),
            _("Date"),
            _("Durée (heures)"),
            _("Type"),
            _("Modalité"),
            _("Sujet"),
        ]
    )
    for m in meetings:
        dossier = m.accompaniment.dossier
        writer.writerow(
            [
                m.accompaniment.organisation.name,
                dossier.candidate.get_full_name() or dossier.candidate.email,
                dossier.certification.code or dossier.certification.title,
                m.starts_at.strftime("%Y-%m-%d %H:%M"),
                f"{m.duration_minutes / 60:.2f}".replace(".", ","),
                m.get_kind_display(),
                m.get_mode_display(),
                m.topic,
            ]
        )
    return response


# --- the team ------------------------------------------------------------------------------


def _managed_or_404(user, org_pk: int):
    return get_object_or_404(permissions.managed_organisations(user), pk=org_pk)


@require_http_methods(["GET", "POST"])
def team(request, org_pk: int):
    organisation = _managed_or_404(request.user, org_pk)
    form = StaffForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda data: services.add_staff(organisation, request.user, **data),
        template="accompaniment/team.html",
        context={
            "organisation": organisation,
            "staff": organisation.staff.select_related("user").order_by("-active", "user__email"),
        },
        success_url=reverse("accompaniment:team", args=[organisation.pk]),
        success_message=lambda m: _("%(user)s fait désormais partie de l'organisme.") % {"user": m.user},
    )


@require_POST
def deactivate(request, org_pk: int, member_pk: int):
    organisation = _managed_or_404(request.user, org_pk)
    member = get_object_or_404(organisation.staff, pk=member_pk)
    return button_action(
        request,
        lambda: services.deactivate_staff(member, request.user),
        _("Membre désactivé : il ne lit plus les dossiers de l'organisme."),
        reverse("accompaniment:team", args=[organisation.pk]),
    )


@require_POST
def resend(request, org_pk: int, member_pk: int):
    organisation = _managed_or_404(request.user, org_pk)
    member = get_object_or_404(organisation.staff.select_related("user", "organisation"), pk=member_pk)
    return button_action(
        request,
        lambda: services.resend_invitation(member, request.user),
        _("Invitation renvoyée."),
        reverse("accompaniment:team", args=[organisation.pk]),
    )


# --- an accompanied dossier ----------------------------------------------------------------


def _writable_or_403(request, accompaniment: Accompaniment) -> None:
    if not permissions.accompanies(request.user, accompaniment.dossier):
        raise PermissionDenied(_("L'accompagnement est terminé : le dossier reste lisible, sans modification."))


def _date(value):
    return dt.date.fromisoformat(value) if value else None


@require_safe
def dossier(request, pk: int):
    """The dossier as the candidate sees it now (drafts included), with the organisation's
    comments beside each experience and compétence, and a form to add one."""
    accompaniment = permissions.accompaniment_for_reader_or_404(request.user, pk)
    dossier = accompaniment.dossier
    content = build_content(dossier)
    comments = list(accompaniment.comments.select_related("author"))
    by_competency: dict[int, list[Comment]] = {}
    by_experience: dict[int, list[Comment]] = {}
    for c in comments:
        if c.competency_id:
            by_competency.setdefault(c.competency_id, []).append(c)
        else:
            by_experience.setdefault(c.experience_id, []).append(c)
    experiences = []
    for e in content["experiences"]:
        e = {**e, "start_date": _date(e["start_date"]), "end_date": _date(e["end_date"])}
        e["comments"] = by_experience.get(e["id"], [])
        experiences.append(e)
    proofs = {p["id"]: p for p in content["proofs"]}
    # The reader may read the dossier (above): a proof is offered once the antivirus released it,
    # the rule of ``accompaniment.files`` without a query per proof.
    released = {p.pk for p in dossier.proofs.all() if released_proof(p)}
    for p in proofs.values():
        p["downloadable"] = p["id"] in released
    experience_by_id = {e["id"]: e for e in experiences}
    blocks = []
    for block in content["blocks"]:
        competencies = [
            {
                **c,
                "comments": by_competency.get(c["id"], []),
                "experience_items": [experience_by_id[i] for i in c["experiences"] if i in experience_by_id],
                "proof_items": [proofs[i] for i in c["proofs"] if i in proofs],
            }
            for c in block["competencies"]
        ]
        blocks.append({**block, "competencies": competencies})
    return render(
        request,
        "accompaniment/dossier.html",
        {
            "accompaniment": accompaniment,
            "dossier": dossier,
            "content": content,
            "experiences": experiences,
            "blocks": blocks,
            "proofs": list(proofs.values()),
            "writable": permissions.accompanies(request.user, dossier),
            "stage2": dossier.in_stage2,
            "comment_form": CommentForm(),
            "minutes": services.minutes(accompaniment),
            "opinion": Opinion.objects.filter(accompaniment=accompaniment).first(),
        },
    )


@require_POST
def comment(request, pk: int, target: str, target_pk: int):
    """Add a comment on a compétence (``target="competence"``) or an experience."""
    accompaniment = permissions.accompaniment_for_reader_or_404(request.user, pk)
    _writable_or_403(request, accompaniment)
    dossier = accompaniment.dossier
    if target == "competence":
        found = get_object_or_404(dossier.targeted_competencies(), pk=target_pk)
        kwargs = {"competency": found}
        anchor = f"#competence-{found.pk}"
    elif target == "experience":
        found = get_object_or_404(Experience.objects.filter(dossier=dossier), pk=target_pk)
        kwargs = {"experience": found}
        anchor = f"#experience-{found.pk}"
    else:
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.add_comment(accompaniment, request.user, form.cleaned_data["text"], **kwargs),
            _("Commentaire ajouté : le candidat le voit à côté de son texte."),
        )
    else:
        messages.error(request, _("Le commentaire est vide ou trop long."))
    return redirect(reverse("accompaniment:dossier", args=[dossier.pk]) + anchor)


@require_http_methods(["GET", "POST"])
def opinion(request, pk: int):
    """The opinion on the recevabilité request, with the préconisations and the planned
    parcours; it changes until the request leaves."""
    accompaniment = permissions.accompaniment_for_reader_or_404(request.user, pk)
    existing = Opinion.objects.filter(accompaniment=accompaniment).first()
    editable = (
        permissions.accompanies(request.user, accompaniment.dossier)
        and accompaniment.dossier.status in services.FEASIBILITY_OPEN
    )
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("L'avis ne peut plus être modifié."))
    form = OpinionForm(request.POST or None, instance=existing if existing else None)
    return form_action(
        request,
        form,
        lambda data: services.give_opinion(accompaniment, request.user, **data),
        template="accompaniment/opinion.html",
        context={
            "accompaniment": accompaniment,
            "dossier": accompaniment.dossier,
            "opinion": existing,
            "editable": editable,
        },
        success_url=reverse("accompaniment:dossier", args=[accompaniment.dossier_id]),
        success_message=_("Avis enregistré : le candidat le lit sur son dossier et pourra envoyer sa demande."),
    )


@require_http_methods(["GET", "POST"])
def meetings(request, pk: int):
    accompaniment = permissions.accompaniment_for_reader_or_404(request.user, pk)
    writable = permissions.accompanies(request.user, accompaniment.dossier)
    if request.method == "POST" and not writable:
        raise PermissionDenied(_("L'accompagnement est terminé : le dossier reste lisible, sans modification."))
    form = MeetingForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda data: services.record_meeting(accompaniment, request.user, **data),
        template="accompaniment/meetings.html",
        context={
            "accompaniment": accompaniment,
            "dossier": accompaniment.dossier,
            "meetings": accompaniment.meetings.all(),
            "minutes": services.minutes(accompaniment),
            "writable": writable,
        },
        success_url=reverse("accompaniment:meetings", args=[accompaniment.dossier_id]),
        success_message=_("Rendez-vous enregistré."),
    )


@require_http_methods(["GET", "POST"])
def end(request, pk: int):
    accompaniment = permissions.accompaniment_for_reader_or_404(request.user, pk)
    _writable_or_403(request, accompaniment)
    form = ReasonForm(request.POST or None)
    return form_action(
        request,
        form,
        lambda data: services.end(accompaniment, request.user, data["reason"]),
        template="accompaniment/reason.html",
        context={"accompaniment": accompaniment, "title": _("Mettre fin à l'accompagnement")},
        success_url=reverse("accompaniment:home"),
        success_message=_("Accompagnement terminé : le dossier reste lisible, sans modification, quelques jours."),
    )


@require_safe
def proof(request, pk: int, proof_pk: int):
    """A proof of an accompanied dossier, as the candidate sees it (``accompaniment.files``)."""
    accompaniment = permissions.accompaniment_for_reader_or_404(request.user, pk)
    found = get_object_or_404(Proof.objects.select_related("dossier"), pk=proof_pk, dossier=accompaniment.dossier)
    grant = file_access.grant_or_404(request.user, "proof", found, as_="accompaniment")
    if not grant.is_open:
        return render(request, "dossiers/file_unavailable.html", {"dossier": found.dossier, "proof": found}, status=403)
    return serve_file(found.file, found.original_name, found.content_type, on_read=grant.on_read)


# --- the candidate's side ------------------------------------------------------------------


@require_safe
def candidate(request, pk: int):
    """The candidate's accompaniment: "autonome" or "accompagné", the organisations to choose
    from (filtered by département), the opinion and the planned parcours to accept."""
    dossier = dossier_permissions.own_dossier_or_404(request.user, pk)
    current = permissions.current_accompaniment(dossier)
    filters = OrganisationFilterForm(request.GET or None)
    departement = filters.cleaned_data["departement"] if filters.is_valid() else ""
    organisations = services.organisations_for(dossier, departement) if dossier.is_active else []
    history = dossier.accompaniments.select_related("organisation").exclude(pk=getattr(current, "pk", None))
    opinion = (
        Opinion.objects.filter(accompaniment=current).first()
        if current is not None and current.state == A.ACCEPTED
        else None
    )
    return render(
        request,
        "accompaniment/candidate.html",
        {
            "dossier": dossier,
            "current": current,
            "organisations": organisations,
            "departement": departement,
            "history": history,
            "opinion": opinion,
            "commitment": COMMITMENT,  # what accepting the parcours declares (frozen with the request)
            "meetings": current.meetings.all() if current is not None and current.state == A.ACCEPTED else [],
        },
    )


@require_POST
def choose(request, pk: int, org_pk: int):
    dossier = dossier_permissions.own_dossier_or_404(request.user, pk)
    organisation = get_object_or_404(Organisation.objects.filter(active=True), pk=org_pk)
    return button_action(
        request,
        lambda: services.choose(dossier, organisation, request.user),
        _("Demande envoyée à %(org)s : l'organisme vous répondra ici.") % {"org": organisation.name},
        reverse("accompaniment:candidate", args=[dossier.pk]),
    )


@require_POST
def leave(request, pk: int):
    dossier = dossier_permissions.own_dossier_or_404(request.user, pk)
    current = permissions.current_accompaniment(dossier)
    if current is None:
        raise Http404
    return button_action(
        request,
        lambda: services.leave(current, request.user, request.POST.get("reason", "")),
        _("Vous n'êtes plus accompagné par %(org)s : votre dossier est désormais autonome.")
        % {"org": current.organisation.name},
        reverse("accompaniment:candidate", args=[dossier.pk]),
    )


@require_POST
def accept_parcours(request, pk: int):
    dossier = dossier_permissions.own_dossier_or_404(request.user, pk)
    found = get_object_or_404(Opinion, accompaniment__dossier=dossier, accompaniment__state=A.ACCEPTED)
    return button_action(
        request,
        lambda: services.accept_parcours(found, request.user),
        _("Parcours accepté."),
        reverse("accompaniment:candidate", args=[dossier.pk]),
    )


@require_POST
def comment_done(request, pk: int):
    """The candidate marks a comment as done (``done=0``: not done again), back where they were."""
    found = get_object_or_404(
        Comment.objects.select_related("accompaniment__dossier"), pk=pk, accompaniment__dossier__candidate=request.user
    )
    done = request.POST.get("done", "1") != "0"
    attempt(
        request,
        lambda: services.mark_comment_done(found, request.user, done),
        _("Commentaire marqué comme traité.") if done else _("Commentaire marqué comme à traiter."),
    )
    return redirect(next_path(request, found.accompaniment.dossier.get_absolute_url()))
