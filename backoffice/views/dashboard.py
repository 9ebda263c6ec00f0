"""The certifier's home: dossiers per state, upcoming sessions, sessions waiting for a
procès-verbal."""

from django.db.models import Count, Q
from django.shortcuts import render

from backoffice.forms import QUEUE_STATES
from backoffice.permissions import certifications_for, certifier_required, listed_dossiers_for, sessions_for
from backoffice.views.sessions import _with_counts
from certifications.enums import CertificationStatus

UPCOMING_SHOWN = 10


@certifier_required
def dashboard(request):
    per_state = {s.value: Count("pk", filter=Q(status=s.value)) for s in QUEUE_STATES}
    counts = listed_dossiers_for(request.user).aggregate(**per_state)
    sessions = _with_counts(sessions_for(request.user))
    context = {
        "states": [(s, counts[s.value]) for s in QUEUE_STATES],
        "upcoming": sessions.upcoming()[:UPCOMING_SHOWN],
        "awaiting_minutes": sessions.awaiting_minutes(),
        "drafts": certifications_for(request.user).filter(status=CertificationStatus.DRAFT).order_by("title"),
    }
    return render(request, "backoffice/dashboard.html", context)
