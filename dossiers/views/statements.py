"""Saving a compétence statement: the autosave endpoint, which also takes plain form posts.

With the header ``X-Autosave: 1`` (the script in static/js/autosave.js) every answer is JSON,
never a redirect: saved (new version and time), conflict (409, both texts), session expired
(401: the text stays in the page, which retries once the candidate has logged in again in
another tab), refused (403), invalid (400) or too many saves (429: the text stays in the page,
which retries a few seconds later). Without it (no JavaScript), a save redirects back to the
page, a conflict shows both texts on a page of its own, an expired session shows the text back
in a form that logs in and saves at once, and too many saves answer a 429 page.

Saves are limited per user (``USER_THROTTLE_RATES["autosave"]``), far above what the script sends.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import throttle
from core.actions import attempt, json_refusal
from core.http import next_path
from core.templatetags.french import fr_time
from dossiers import permissions, services
from dossiers.enums import SelfAssessment, StatementState
from dossiers.forms import StatementForm
from dossiers.models import CompetencyStatement


def _is_autosave(request) -> bool:
    return request.headers.get("X-Autosave") == "1"


def _next_url(request, dossier_id: int, competency_id, changes) -> str:
    if "narrative" in changes:
        default = reverse("dossiers:competency", args=[dossier_id, competency_id])
    else:
        default = reverse("dossiers:positioning", args=[dossier_id]) + f"#competency-{competency_id}"
    return next_path(request, default)


def _field_labels() -> dict:
    return {
        "narrative": _("Récit"),
        "self_comment": _("Commentaire"),
        "self_assessment": _("Auto-positionnement"),
    }


def _conflict_rows(conflict: services.StatementConflict) -> list[dict]:
    """One row per field the two versions disagree on, labelled for display."""
    labels, choices = _field_labels(), dict(SelfAssessment.choices)
    rows = []
    for field, mine in conflict.mine.items():
        theirs = conflict.theirs.get(field, "")
        if mine == theirs:
            continue
        display = (lambda v: str(choices.get(v, "—"))) if field == "self_assessment" else (lambda v: v)
        rows.append(
            {
                "field": field,
                "label": labels[field],
                "mine": mine,
                "theirs": theirs,
                "mine_display": display(mine),
                "theirs_display": display(theirs),
                "is_text": field != "self_assessment",
            }
        )
    return rows


@login_not_required  # answers 401 itself: a redirect to the login page would lose the text
@require_POST
def save(request, pk: int, competency_pk: int):
    autosave = _is_autosave(request)
    if not request.user.is_authenticated:
        login_form = None if autosave else _relogin(request)
        if not request.user.is_authenticated:
            return _session_expired(request, autosave, login_form)
    if not throttle.allow_user(request.user, "autosave"):
        return _too_many_saves(request, autosave)
    # The candidate's statement, read, checked against their own dossiers and locked by the
    # service's one query: the autosave's hot path reads it once.
    own_statement = CompetencyStatement.objects.filter(
        dossier__in=permissions.candidate_dossiers(request.user).values("pk"),
        dossier_id=pk,
        competency_id=competency_pk,
    )
    form = StatementForm(request.POST, dossier_id=pk)
    if not form.is_valid():
        get_object_or_404(own_statement)  # outside one's own dossiers: 404, not a word on the input
        message = _("Enregistrement impossible : %(errors)s") % {
            "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)
        }
        if autosave:
            return json_refusal(message, 400, "invalid")
        messages.error(request, message)
        return redirect(_next_url(request, pk, competency_pk, request.POST))
    changes = form.changes()

    def save_own_statement():
        try:
            return services.save_statement(
                own_statement, form.cleaned_data["version"], changes, actor=request.user, **form.links_kwargs()
            )
        except CompetencyStatement.DoesNotExist:
            raise Http404 from None

    done, saved = attempt(
        request,
        save_own_statement,
        # An autosave answers in JSON; a conflict shows both versions side by side.
        show=lambda refusal: not autosave and not isinstance(refusal, services.StatementConflict),
        on_refusal=lambda refusal: refusal,
    )
    if not done:
        if isinstance(saved, services.StatementConflict):
            return _conflict(request, autosave, saved, form)
        if autosave:
            return json_refusal(saved)
        return redirect(_next_url(request, pk, competency_pk, changes))
    saved_at = _("Enregistré à %(time)s") % {"time": fr_time(saved.updated_at)}
    if not autosave:
        messages.success(request, saved_at)
        return redirect(_next_url(request, pk, competency_pk, changes))
    state = services.statement_state(
        saved.narrative, bool(saved.support_count), saved.dossier.certification.min_narrative_length
    )
    return JsonResponse(
        {
            "status": "saved",
            "version": saved.version,
            "message": saved_at,
            "state": state,
            "state_label": str(StatementState(state).label),
        }
    )


def _conflict(request, autosave, conflict, form):
    statement = conflict.statement
    dossier = statement.dossier
    context = {
        "dossier": dossier,
        "statement": statement,
        "competency": statement.competency,
        "rows": _conflict_rows(conflict),
        "version": conflict.statement.version,
        "mine": conflict.mine,
        "links": form.cleaned_data.get("links"),
        "experiences": form.cleaned_data.get("experiences") or [],
        "proofs": form.cleaned_data.get("proofs") or [],
        "next": _next_url(request, dossier.pk, statement.competency_id, conflict.mine),
        "choices": SelfAssessment.choices,
    }
    if autosave:
        return JsonResponse(
            {
                "status": "conflict",
                "version": conflict.statement.version,
                "theirs": conflict.theirs,
                "html": render_to_string("dossiers/_conflict.html", context, request=request),
            },
            status=409,
        )
    return render(request, "dossiers/statement_conflict.html", context, status=409)


def _too_many_saves(request, autosave):
    message = _(
        "Trop d'enregistrements en peu de temps. Votre texte est toujours dans la page : "
        "il sera enregistré dans quelques secondes."
    )
    if autosave:
        response = JsonResponse({"status": "throttled", "message": message}, status=429)
        response["Retry-After"] = throttle.retry_after("autosave")
        return response
    message = _(
        "Trop d'enregistrements en peu de temps : celui-ci n'est pas fait. Revenez à la page "
        "précédente (votre navigateur y a gardé votre texte) et enregistrez de nouveau dans une minute."
    )
    response = render(request, "too_many_requests.html", {"message": message}, status=429)
    response["Retry-After"] = throttle.retry_after("autosave")
    return response


def _relogin(request):
    """Without JavaScript, the "session expired" page sends the text with the login: log in
    and save in one go (a login in another tab would rotate the CSRF token of this page)."""
    if "username" not in request.POST:
        return None
    form = AuthenticationForm(request, data=request.POST)
    if form.is_valid():
        login(request, form.get_user())
    return form


def _session_expired(request, autosave, login_form=None):
    if autosave:
        html = render_to_string("dossiers/_login_required.html", {}, request=request)
        return JsonResponse({"status": "login_required", "html": html}, status=401)
    if "version" not in request.POST:  # not one of our forms: nothing to keep
        return redirect(f"{reverse('login')}?next={request.path}")
    context = {
        "post": request.POST,
        "fields": [
            (f, _field_labels()[f], request.POST[f]) for f in ("narrative", "self_comment") if f in request.POST
        ],
        "experiences": request.POST.getlist("experiences"),
        "proofs": request.POST.getlist("proofs"),
        "login_form": login_form or AuthenticationForm(request),
    }
    return render(request, "dossiers/session_expired.html", context, status=401)
