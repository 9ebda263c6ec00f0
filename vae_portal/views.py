from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from certifications.models import Certification


@login_not_required
def home(request):
    return render(request, "home.html", {"certification_count": Certification.objects.published().count()})
