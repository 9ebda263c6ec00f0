from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.templatetags.static import static

from certifications.models import Certification


@login_not_required
def home(request):
    return render(request, "home.html", {"certification_count": Certification.objects.published().count()})


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
