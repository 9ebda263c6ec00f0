"""``/accounts/mes-donnees/`` (what the portal holds, the ZIP) and ``/accounts/supprimer/``."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import file_access, throttle
from core.files import serve_file
from dossiers.models import Dossier, Proof
from privacy import erasure, export
from privacy.forms import DeleteAccountForm

DELETED_SESSION_KEY = "accounts_deleted_report"


@require_safe
def my_data(request):
    user = request.user
    dossiers = Dossier.objects.filter(candidate=user)
    counts = dossiers.aggregate(dossiers=Count("pk"), experiences=Count("experiences", distinct=True))
    proofs = Proof.objects.filter(dossier__candidate=user).aggregate(n=Count("pk"), size=Sum("size"))
    return render(
        request,
        "accounts/privacy/my_data.html",
        {
            "counts": counts,
            "proofs": proofs,
            "can_delete": not erasure.deletion_refusals(user),
            "retention_days": settings.DRAFT_RETENTION_DAYS,
        },
    )


@require_safe
def data_export(request):
    """The ZIP, built in a temporary file (deleted when the response is closed) and streamed;
    limited per user (``USER_THROTTLE_RATES["data_export"]``): it reads every file."""
    if not throttle.allow_user(request.user, "data_export"):
        message = _(
            "Vous avez demandé l'archive de vos données plusieurs fois dans l'heure : réessayez un peu plus tard."
        )
        context = {"message": message, "back_url": reverse("accounts:my_data"), "back_label": _("Retour à mes données")}
        response = render(request, "too_many_requests.html", context, status=429)
        response["Retry-After"] = throttle.retry_after("data_export")
        return response
    grant = file_access.grant_or_404(request.user, "data_export", request.user, as_="candidate")  # privacy.files
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- closed (and so deleted) by the response
    try:
        export.write_archive(request.user, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return serve_file(handle, export.archive_name(), "application/zip", on_read=grant.on_read)


@require_http_methods(["GET", "POST"])
def delete_account(request):
    """What would be deleted and what kept, then the password: refused (403) while a dossier
    waits for a decision, and for staff accounts."""
    user = request.user
    refusals = erasure.deletion_refusals(user)
    form = DeleteAccountForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if refusals:
            status = 403
        elif form.is_valid():
            try:
                report = erasure.delete_account(user)
            except erasure.DeletionRefused as refused:  # a submission slipped in meanwhile
                refusals, status = refused.reasons, 403
            else:
                logout(request)
                request.session[DELETED_SESSION_KEY] = report.as_dict()
                return redirect("accounts:account_deleted")
    to_delete, to_keep = erasure.deletion_plan(user)
    context = {
        "form": form,
        "refusals": refusals,
        "to_delete": to_delete,
        "to_keep": to_keep,
        "kept_note": erasure.KEPT_NOTE,
        "data_url": reverse("accounts:my_data"),
    }
    return render(request, "accounts/privacy/delete.html", context, status=status)


@login_not_required
@require_safe
def account_deleted(request):
    report = request.session.get(DELETED_SESSION_KEY)
    return render(request, "accounts/privacy/deleted.html", {"report": report, "kept_note": erasure.KEPT_NOTE})
