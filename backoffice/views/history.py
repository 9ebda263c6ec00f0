"""A dossier's history for its certifiers and the admins: transitions, submitted versions, the
candidate's writes and, later, the jury's decisions, from the audit trail (``backoffice.history``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from backoffice.history import dossier_history
from backoffice.permissions import certifier_required, dossiers_for


@require_safe
@certifier_required
def dossier_history_view(request, pk: int):
    dossier = get_object_or_404(dossiers_for(request.user).select_related("candidate", "certification"), pk=pk)
    return render(
        request,
        "backoffice/review/history.html",
        {"dossier": dossier, "entries": dossier_history(dossier)},
    )
