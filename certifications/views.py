"""Public catalogue: no login needed."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from certifications.enums import CertificationStatus
from certifications.forms import CatalogueSearchForm
from certifications.models import AssessmentMethod, Certification, Competency


@login_not_required
def catalogue(request):
    form = CatalogueSearchForm(request.GET or None)
    certifications = Certification.objects.published().prefetch_related("certifiers").order_by("title")
    if form.is_valid():
        q = form.cleaned_data.get("q")
        if q:
            certifications = certifications.filter(
                Q(title__icontains=q)
                | Q(code__icontains=q)
                | Q(certifiers__legal_name__icontains=q)
                | Q(certifiers__commercial_name__icontains=q)
            ).distinct()
        if form.cleaned_data.get("level"):
            certifications = certifications.filter(level=form.cleaned_data["level"])
    page = Paginator(certifications, 20).get_page(request.GET.get("page"))
    return render(request, "certifications/catalogue.html", {"form": form, "page": page})


@login_not_required
def detail(request, slug: str):
    """The published version of a certification (404 for a draft or archived-only one). Its
    referential (blocs, compétences, modalités, grilles) does not change once published: the
    page renders it from a fragment cached per version (``referential`` and ``transversal`` are
    lazy, read only when the cache is cold)."""
    certification = get_object_or_404(
        Certification.objects.prefetch_related("certifiers"), slug=slug, status=CertificationStatus.PUBLISHED
    )
    referential = certification.blocks.select_related("rubric").prefetch_related(
        "rubric__levels",
        "rubric__criteria",
        Prefetch("competencies", queryset=Competency.objects.order_by("order")),
        Prefetch("assessment_methods", queryset=AssessmentMethod.objects.order_by("order")),
    )
    transversal = certification.assessment_methods.filter(block__isnull=True).order_by("order")
    return render(
        request,
        "certifications/detail.html",
        {
            "certification": certification,
            "referential": referential,
            "transversal": transversal,
            # The notes say how the data was transcribed: for its certifiers and admins only.
            "show_notes": request.user.is_superuser
            or (request.user.is_authenticated and certification.certifiers.filter(staff=request.user).exists()),
        },
    )
