"""The home page: for a visitor, the way in; for a logged-in person, what to do now, per role
(a person may hold several: a certifier who also sits on juries sees both). Each role's content
comes from the app that owns its data, in a fixed number of queries."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.templatetags.static import static

from backoffice import overview as certifier_overview
from backoffice.permissions import is_certifier
from certifications.models import Certification
from dossiers import overview as dossier_overview
from dossiers import progress
from dossiers.models import Dossier, TransitionLog
from juries import overview as juror_overview
from juries.models import Convocation
from messaging import queries as messaging_queries
from vae_portal import overview as admin_overview


def candidate_dossiers(user) -> list[Dossier]:
    """The candidate's dossiers, newest first, each with its next step, the timeline of its VAE
    and the certifier's messages not read yet (four queries)."""
    dossiers = list(
        Dossier.objects.owned_by(user)
        .select_related("certification")
        .annotate(unread_messages=messaging_queries.unread_for_candidate(user))
        .prefetch_related(
            Prefetch("transitions", queryset=TransitionLog.objects.order_by("created_at", "pk"), to_attr="log"),
            Prefetch(
                "convocations",
                queryset=Convocation.objects.live().select_related("session").order_by("-starts_at"),
                to_attr="live_convocations",
            ),
        )
        .order_by("-created_at", "-pk")
    )
    for dossier in dossiers:
        jury_at = dossier.live_convocations[0].starts_at if dossier.live_convocations else None
        dossier.next_step = progress.next_step(dossier)
        dossier.steps = dossier_overview.vae_timeline(dossier, dossier.log, jury_at)
    return dossiers


@login_not_required
def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html", {"certification_count": Certification.objects.published().count()})
    certifier = is_certifier(user)
    seats = juror_overview.juror_seats(user)
    dossiers = candidate_dossiers(user)
    context = {
        "dossiers": dossiers,
        # Someone with no other role is a candidate, with or without a dossier yet.
        "is_candidate": bool(dossiers) or not (certifier or seats or user.is_superuser),
        "waiting": certifier_overview.waiting_for(user) if certifier else None,
        "is_certifier": certifier,
        "seats": seats,
        "health": admin_overview.installation_health() if user.is_superuser else None,
    }
    return render(request, "home/dashboard.html", context)


@login_not_required
def accessibility(request):
    """The accessibility statement (RGAA 4.1 model): state of conformity, what is not accessible,
    how to report a problem, the remedy."""
    return render(request, "accessibility.html", {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL})


@login_not_required
def sitemap(request):
    """The site map: a second way to find pages; it lists the spaces the user has."""
    return render(request, "sitemap.html")


@login_not_required
def csrf_failure(request, reason=""):
    """Django's CSRF refusal, in French, with a way back (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


@login_not_required
def favicon(request):
    """Browsers ask /favicon.ico whatever the page says: point them at the icon."""
    return redirect(static("favicon.svg"), permanent=True)
